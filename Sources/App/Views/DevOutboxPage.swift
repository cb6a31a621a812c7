import HeadshotCore
import Plot
import Vapor

/// Development only: the mail table's newest messages (sent, waiting or given up on), with clickable links.
enum DevOutboxPage {
    static func render(_ viewer: Viewer, messages: [OutgoingMail]) -> Response {
        Layout.page(PageContext(viewer, title: "Development outbox"),
            .section(.class("panel"),
                .h1("Development outbox"),
                .p("Mail is not sent in development: what would have gone out, newest first."),
                .if(messages.isEmpty, .p(.class("empty"), "No messages yet.")),
                .forEach(messages) { message in
                    .article(.class("mail"),
                        .h2(.text(message.subject)),
                        .p(.class("hint"), .text("To \(message.recipient) · \(DateText.short(message.createdAt)) · \(state(of: message))")),
                        .div(.class("mail-body"), .forEach(message.textBody.components(separatedBy: "\n")) { line in
                            line.hasPrefix("http://") || line.hasPrefix("https://")
                                ? .p(.a(.href(line), .text(line)))
                                : .p(.text(line))
                        })
                    )
                }
            )
        )
    }

    static func state(of message: OutgoingMail) -> String {
        if message.sentAt != nil { return "delivered to this outbox" }
        if message.failedAt != nil { return "given up: \(message.lastError ?? "")" }
        return "waiting (attempt \(message.attempts))"
    }
}
