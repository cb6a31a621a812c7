import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// What every page needs to know about the request it is rendered for.
struct PageContext {
    let title: String
    let user: User?
    let csrf: String
    let isDevelopment: Bool
    /// A demo install: production on the sandbox gateway, where no real money is taken.
    let isDemo: Bool
    /// Unread notifications for the bell (counted by `UnreadNotificationsMiddleware`).
    let unreadNotifications: Int

    init(_ req: Request, title: String) {
        self.title = title
        self.user = req.currentUser
        self.unreadNotifications = req.storage[UnreadNotificationsMiddleware.Key.self] ?? 0
        self.csrf = CSRF.token(for: req)
        self.isDevelopment = req.application.environment == .development
        self.isDemo = req.storage[DemoInstallMiddleware.Key.self] ?? false
    }
}

/// The page frame: navigation, main content, footer. Plot escapes all text, so user input is safe here.
enum Layout {
    static func page(_ context: PageContext, status: HTTPResponseStatus = .ok, _ content: Node<HTML.BodyContext>...) -> Response {
        let html = HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .title("\(context.title) · Headshot Studio"),
                .meta(.name("csrf-token"), .content(context.csrf)),
                .stylesheet(SiteURL.asset(.stylesheet).path)
            ),
            .body(
                .a(.class("skip"), .href("#main"), .text("Skip to content")),
                .if(context.isDemo, .div(.class("demo-banner"), .id("demo-banner"), .attribute(named: "role", value: "note"),
                    .strong("Demo — no real payments. "),
                    .text("This installation takes test cards only (4242 4242 4242 4242); nothing is charged and nothing is sold."))),
                .header(.class("site"), navigation(context)),
                .main(.id("main"), .group(content)),
                .footer(.class("site"),
                    .p("Headshot Studio turns your own selfies into studio-style portraits."),
                    .nav(.class("footer-links"), .attribute(named: "aria-label", value: "About this service"),
                        .a(.href(SiteURL.help.path), "Help"), " · ",
                        .a(.href(SiteURL.terms.path), "Terms and refunds"), " · ",
                        .a(.href(SiteURL.privacy.path), "How we handle your photos"), " · ",
                        .a(.href(SiteURL.contact.path), "Contact"))
                )
            )
        )
        let response = Response(status: status)
        response.headers.contentType = .html
        // Pages show personal data; keep them out of shared caches and the back-forward cache of others.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.body = .init(string: html.render())
        return response
    }

    private static func navigation(_ context: PageContext) -> Node<HTML.BodyContext> {
        .nav(.attribute(named: "aria-label", value: "Main"),
            .a(.class("brand"), .href(SiteURL.home.path), "Headshot Studio"),
            .unwrap(context.user, { user in
                .div(.class("nav-links"),
                    .a(.href(SiteURL.dashboard.path), "Dashboard"),
                    .a(.href(SiteURL.teams.path), "Teams"),
                    .a(.class("bell"), .href(SiteURL.notifications.path), .id("bell"), .text("Notifications"),
                       .if(context.unreadNotifications > 0,
                           .span(.class("count"), .id("bell-count"), .attribute(named: "aria-label", value: "\(context.unreadNotifications) unread"),
                                 .text(String(context.unreadNotifications))))),
                    .a(.href(SiteURL.account(nil).path), "Account"),
                    .if(user.role >= .support, .a(.id("console-link"), .href(SiteURL.admin(nil).path), "Console")),
                    .form(.method(.post), .action(SiteURL.logOut.path), .class("inline"),
                        csrfField(context.csrf),
                        .button(.type(.submit), .class("link"), "Log out")
                    ),
                    .span(.class("visually-hidden"), .text("Signed in as \(user.email)"))
                )
            }, else: .div(.class("nav-links"),
                .a(.href(SiteURL.home.path + "#pricing"), "Pricing"),
                .a(.href(SiteURL.logIn.path), "Log in"),
                .a(.class("button small"), .href(SiteURL.signUp.path), "Sign up")
            ))
        )
    }

    static func csrfField(_ token: String) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name(CSRF.fieldName), .value(token))
    }
}
