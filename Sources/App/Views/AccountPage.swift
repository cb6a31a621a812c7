import HeadshotCore
import Plot
import SiteRoutes
import Vapor

enum AccountPage {
    struct Model {
        var user: User
        var tokens: [APITokenDTO]
        var sessions: [SessionDTO]
        var newToken: String? = nil
        var notice: String? = nil
        var passwordErrors: [String: String] = [:]
        var profileErrors: [String: String] = [:]
        var tokenError: String? = nil
        var deletions: [DeletionRequest] = []
        var exports: [ExportRow] = []
    }

    struct ExportRow {
        let export: DataExport
        /// The signed download link while it lasts.
        let link: String?
    }

    static func exportState(_ export: DataExport) -> String {
        switch export.status {
        case .requested, .processing: "being prepared"
        case .failed: "being prepared (retrying)"
        case .ready: "ready; the link has expired, ask for a new copy"
        case .expired: "deleted"
        case .withdrawn: "deleted: data in it was deleted or refunded since; ask for a new copy"
        }
    }

    static func render(_ viewer: Viewer, _ model: Model, status: HTTPResponseStatus = .ok) -> Response {
        let context = PageContext(viewer, title: "Your account")
        typealias Field = FormComponents.Field
        return Layout.page(context, status: status,
            .section(.class("panel"),
                .h1("Your account"),
                FormComponents.notice(model.notice),
                .p(.a(.id("activity-link"), .href(SiteURL.account(.activity).path), "See your activity"), " · ",
                   .a(.href(SiteURL.privacy.path), "How we handle your data")),
                .h2("Email"),
                .p(.text(model.user.email), .text(model.user.isVerified ? " (confirmed)" : " (not confirmed yet)")),
                .if(!model.user.isVerified,
                    .form(.method(.post), .action(SiteURL.account(.verification).path),
                        Layout.csrfField(context.csrf),
                        .button(.type(.submit), .class("button secondary"), "Send the confirmation link again")
                    )
                )
            ),
            .section(.class("panel"), .id("profile"),
                .h2("Name and job title"),
                .p(.class("hint"), "Both optional. They are shown only to you, on the profile and email-signature previews of your headshots."),
                FormComponents.alert(model.profileErrors.isEmpty ? nil : "Your name and job title were not changed."),
                .form(.method(.post), .action(SiteURL.account(.profile).path),
                    Layout.csrfField(context.csrf),
                    FormComponents.field(Field(name: "name", label: "Your name", value: model.user.displayName, autocomplete: "name",
                                               error: model.profileErrors["name"], required: false)),
                    FormComponents.field(Field(name: "job_title", label: "Job title", value: model.user.jobTitle, autocomplete: "organization-title",
                                               error: model.profileErrors["job_title"], required: false)),
                    .button(.type(.submit), .class("button secondary"), "Save")
                )
            ),
            .section(.class("panel"),
                .h2("Change password"),
                FormComponents.alert(model.passwordErrors.isEmpty ? nil : "Your password was not changed."),
                .form(.method(.post), .action(SiteURL.account(.password).path),
                    Layout.csrfField(context.csrf),
                    FormComponents.field(Field(name: "current_password", label: "Current password", type: .password,
                                               autocomplete: "current-password", error: model.passwordErrors["current_password"])),
                    FormComponents.field(Field(name: "new_password", label: "New password", type: .password, autocomplete: "new-password",
                                               hint: "At least 12 characters. Other devices will be signed out, and your API tokens revoked.", error: model.passwordErrors["new_password"])),
                    .p(.label(.input(.type(.checkbox), .name("keep_tokens"), .value("true")), .text(" Keep my personal API tokens working (team tokens and API log-ins are always revoked)"))),
                    .button(.type(.submit), .class("button"), "Change password")
                )
            ),
            .section(.class("panel"),
                .h2("API tokens"),
                .p("Tokens let your own scripts use the JSON API (see ", .a(.href(APIURL.openAPI.sitePath), "the API description"), "). Treat them like passwords."),
                .unwrap(model.newToken) { token in
                    .div(.class("notice"), .attribute(named: "role", value: "status"),
                        .p("Copy your new token now; it won't be shown again:"),
                        .p(.code(.class("token"), .text(token)))
                    )
                },
                .if(!model.tokens.isEmpty, .table(
                    .thead(.tr(.th("Name"), .th("Kind"), .th("Token"), .th("Created"), .th("Last used"), .th("Expires"), .th(.span(.class("visually-hidden"), "Actions")))),
                    .tbody(.forEach(model.tokens) { token in
                        .tr(
                            .td(.text(token.name)), .td(.class("token-kind"), .text(APITokenDTO.kindLabel(token.kind))), .td(.code(.text(token.prefix + "…"))),
                            .td(.text(DateText.short(token.createdAt))),
                            .td(.text(token.lastUsedAt.map(DateText.short) ?? "Never")),
                            .td(.text(token.expiresAt.map(DateText.short) ?? "—")),
                            .td(.form(.method(.post), .action(SiteURL.account(.revokeToken(.value(token.id))).path),
                                Layout.csrfField(context.csrf),
                                .button(.type(.submit), .class("link danger"), .text("Revoke"))))
                        )
                    })
                )),
                .form(.method(.post), .action(SiteURL.account(.tokens).path), .class("inline-form"),
                    Layout.csrfField(context.csrf),
                    FormComponents.field(Field(name: "name", label: "Token name", autocomplete: "off",
                                               hint: "What the token is for, e.g. \"CI uploads\".", error: model.tokenError)),
                    .label(.for("expires_in_days"), "Expires after (days, at most 365)"),
                    .input(.type(.number), .id("expires_in_days"), .name("expires_in_days"), .value("90"),
                           .attribute(named: "min", value: "1"), .attribute(named: "max", value: "365")),
                    .button(.type(.submit), .class("button secondary"), "Create token")
                )
            ),
            .section(.class("panel"),
                .h2("Where you're signed in"),
                .table(
                    .thead(.tr(.th("Device"), .th("Address"), .th("Signed in"), .th("Last active"), .th(.span(.class("visually-hidden"), "Actions")))),
                    .tbody(.forEach(model.sessions) { session in
                        .tr(
                            .td(.span(.attribute(named: "title", value: session.userAgent ?? "")), .text(session.device),
                                .if(session.current, .strong(" (this device)"))),
                            .td(.text(session.ip ?? "")),
                            .td(.text(DateText.short(session.createdAt))),
                            .td(.text(DateText.short(session.lastSeenAt))),
                            .td(.if(!session.current, .form(.method(.post), .action(SiteURL.account(.revokeSession(.value(session.id))).path),
                                Layout.csrfField(context.csrf),
                                .button(.type(.submit), .class("link danger"), "Sign out"))))
                        )
                    })
                )
            ),
            .section(.class("panel"), .id("your-data"),
                .h2("Your data"),
                .p("Get a copy of everything we hold about you: your selfies, your headshots, and your account, orders, payments, consents, notifications and activity as JSON, in one ZIP. We prepare it in the background and email you a link that works for 24 hours; the copy is deleted after 7 days."),
                .if(!model.exports.isEmpty, .ul(.forEach(model.exports) { row in
                    .li(.text("Requested \(row.export.createdAt.map(DateText.short) ?? ""): "),
                        row.link.map { link -> Node<HTML.BodyContext> in .a(.class("export-link"), .href(link), "Download (ZIP)") }
                            ?? .text(Self.exportState(row.export)))
                })),
                .form(.method(.post), .action(SiteURL.account(.dataExport).path),
                    Layout.csrfField(context.csrf),
                    .button(.type(.submit), .class("button secondary"), .id("request-export"), "Download my data"))
            ),
            .section(.class("panel"), .id("delete-account"),
                .h2("Delete your account"),
                .p("Deletes every order with its selfies and headshots, your share links, sign-ins and tokens. It takes ", .text(Deletions.promise),
                   "; you get a receipt that proves it, and an email when it is done."),
                .if(!model.deletions.isEmpty, .group(
                    .h3("Your deletion requests"),
                    .ul(.forEach(model.deletions) { request in
                        .li(.a(.href(SiteURL.deletion(.value(request.id ?? UUID()), nil).path),
                               .text("\(DeletionPages.title(request.scope)) — \(DeletionPages.label(request.status, held: false)), requested \(request.createdAt.map(DateText.short) ?? "")")))
                    })
                )),
                .p(.a(.id("delete-account-link"), .class("button danger"), .href(SiteURL.deletions.path(["scope": "account"])), "Delete my account"))
            )
        )
    }
}
