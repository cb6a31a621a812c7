import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// Sign-up, log-in, password reset and email confirmation pages.
enum AuthPages {
    typealias Field = FormComponents.Field

    static func signUp(_ viewer: Viewer, email: String = "", name: String = "", errors: [String: String] = [:], status: HTTPResponseStatus = .ok) -> Response {
        let context = PageContext(viewer, title: "Create your account")
        return Layout.page(context, status: status,
            .section(.class("panel narrow"),
                .h1("Create your account"),
                FormComponents.alert(errors.isEmpty ? nil : "Please fix the highlighted fields."),
                .form(.method(.post), .action(SiteURL.signUp.path),
                    Layout.csrfField(context.csrf),
                    FormComponents.field(Field(name: "name", label: "Your name (optional)", value: name, autocomplete: "name",
                                               hint: "Shown on the profile and email-signature previews of your headshots.", error: errors["name"], required: false)),
                    FormComponents.field(Field(name: "email", label: "Email", type: .email, value: email, autocomplete: "email", error: errors["email"])),
                    FormComponents.field(Field(name: "password", label: "Password", type: .password, autocomplete: "new-password",
                                               hint: "At least 12 characters.", error: errors["password"])),
                    .button(.type(.submit), .class("button"), "Create account")
                ),
                .p("Already have an account? ", .a(.href(SiteURL.logIn.path), "Log in"))
            )
        )
    }

    static func checkEmail(_ viewer: Viewer, email: String) -> Response {
        let context = PageContext(viewer, title: "Check your email")
        return Layout.page(context, status: .accepted,
            .section(.class("panel narrow"),
                .h1("Check your email"),
                .p(.text("We've sent a message to \(email). Open the link in it to finish; it works for 48 hours.")),
                .p("Nothing there after a few minutes? Look in your spam folder, or ", .a(.href(SiteURL.signUp.path), "try again"), "."),
                .if(context.isDevelopment, .p(.class("hint"), "Development mode: messages are kept in the ", .a(.href(SiteURL.devOutbox.path), "outbox"), "."))
            )
        )
    }

    static func logIn(_ viewer: Viewer, email: String = "", next: String? = nil, error: String? = nil, notice: String? = nil,
                      status: HTTPResponseStatus = .ok) -> Response {
        let context = PageContext(viewer, title: "Log in")
        return Layout.page(context, status: status,
            .section(.class("panel narrow"),
                .h1("Log in"),
                FormComponents.notice(notice),
                FormComponents.alert(error),
                .form(.method(.post), .action(SiteURL.logIn.path),
                    Layout.csrfField(context.csrf),
                    .unwrap(next) { .input(.type(.hidden), .name("next"), .value($0)) },
                    FormComponents.field(Field(name: "email", label: "Email", type: .email, value: email, autocomplete: "username")),
                    FormComponents.field(Field(name: "password", label: "Password", type: .password, autocomplete: "current-password")),
                    .button(.type(.submit), .class("button"), "Log in")
                ),
                .p(.a(.href(SiteURL.forgotPassword.path), "Forgot your password?")),
                .p("New here? ", .a(.href(SiteURL.signUp.path), "Create an account"))
            )
        )
    }

    static func forgotPassword(_ viewer: Viewer, email: String = "", error: String? = nil, sent: Bool = false) -> Response {
        let context = PageContext(viewer, title: "Reset your password")
        return Layout.page(context, status: sent ? .accepted : (error == nil ? .ok : .unprocessableEntity),
            .section(.class("panel narrow"),
                .h1("Reset your password"),
                FormComponents.notice(sent ? "If an account exists for that address, we've sent a link to reset the password. It works once, for 30 minutes." : nil),
                .form(.method(.post), .action(SiteURL.forgotPassword.path),
                    Layout.csrfField(context.csrf),
                    FormComponents.field(Field(name: "email", label: "Email", type: .email, value: email, autocomplete: "email", error: error)),
                    .button(.type(.submit), .class("button"), "Send reset link")
                )
            )
        )
    }

    static func resetPassword(_ viewer: Viewer, token: String, error: String? = nil) -> Response {
        let context = PageContext(viewer, title: "Choose a new password")
        return Layout.page(context, status: error == nil ? .ok : .unprocessableEntity,
            .section(.class("panel narrow"),
                .h1("Choose a new password"),
                .form(.method(.post), .action(SiteURL.resetPassword.path),
                    Layout.csrfField(context.csrf),
                    .input(.type(.hidden), .name("token"), .value(token)),
                    FormComponents.field(Field(name: "password", label: "New password", type: .password, autocomplete: "new-password",
                                               hint: "At least 12 characters. You'll be signed out everywhere else.", error: error)),
                    .button(.type(.submit), .class("button"), "Save new password")
                )
            )
        )
    }

    /// Confirmation is a button, not the GET of the link itself: mail scanners that open links must not spend them.
    static func confirmEmail(_ viewer: Viewer, token: String) -> Response {
        let context = PageContext(viewer, title: "Confirm your email")
        return Layout.page(context,
            .section(.class("panel narrow"),
                .h1("Confirm your email"),
                .form(.method(.post), .action(SiteURL.verifyEmail.path),
                    Layout.csrfField(context.csrf),
                    .input(.type(.hidden), .name("token"), .value(token)),
                    .button(.type(.submit), .class("button"), "Confirm and continue")
                )
            )
        )
    }

    static func invalidLink(_ viewer: Viewer, message: String, retryPath: String) -> Response {
        Layout.page(PageContext(viewer, title: "Link no longer valid"), status: .gone,
            .section(.class("panel narrow"),
                .h1("This link no longer works"),
                .p(.text(message)),
                .p(.a(.class("button"), .href(retryPath), "Get a new link"))
            )
        )
    }
}
