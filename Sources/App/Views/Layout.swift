import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// Who a page is rendered for: taken from the request once, at the edge (`req.viewer`), so views see
/// this plain value and never the request or the signed-in account's database row.
struct Viewer: Sendable {
    /// The signed-in person, as the pages show them.
    struct Account: Sendable {
        let email: String
        let role: User.Role
    }

    let account: Account?
    let csrf: String
    let isDevelopment: Bool
    /// A demo install: production on the sandbox gateway, where no real money is taken.
    let isDemo: Bool
    /// Unread notifications for the bell (counted by `UnreadNotificationsMiddleware`).
    let unreadNotifications: Int
    /// The reference support looks up in the logs.
    let requestID: String
}

extension Request {
    /// What the pages need to know about this request and who sent it.
    var viewer: Viewer {
        Viewer(account: currentUser.map { Viewer.Account(email: $0.email, role: $0.role) },
               csrf: CSRF.token(for: self),
               isDevelopment: application.environment == .development,
               isDemo: storage[DemoInstallMiddleware.Key.self] ?? false,
               unreadNotifications: storage[UnreadNotificationsMiddleware.Key.self] ?? 0,
               requestID: requestID)
    }
}

/// One page's frame: its title and who it is for.
struct PageContext {
    let title: String
    let viewer: Viewer

    init(_ viewer: Viewer, title: String) {
        self.title = title
        self.viewer = viewer
    }

    var user: Viewer.Account? { viewer.account }
    var csrf: String { viewer.csrf }
    var isDevelopment: Bool { viewer.isDevelopment }
    var isDemo: Bool { viewer.isDemo }
    var unreadNotifications: Int { viewer.unreadNotifications }
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
