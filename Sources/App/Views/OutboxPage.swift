import Plot
import Vapor

/// Development only: the mail the app would have sent, with clickable links.
enum OutboxPage {
    static func render(_ req: Request, messages: [OutboxMessage]) -> Response {
        Layout.page(PageContext(req, title: "Development outbox"),
            .section(.class("panel"),
                .h1("Development outbox"),
                .p("Mail is not sent in development. Newest first."),
                .if(messages.isEmpty, .p(.class("empty"), "No messages yet.")),
                .forEach(messages) { message in
                    .article(.class("mail"),
                        .h2(.text(message.subject)),
                        .p(.class("hint"), .text("To \(message.recipient) · \(DateText.short(message.createdAt))")),
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
}
