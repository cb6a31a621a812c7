import Foundation
import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// A customer's support requests and one request's conversation with support.
enum SupportPages {
    static func list(_ viewer: Viewer, tickets: [SupportTicket]) -> Response {
        Layout.page(PageContext(viewer, title: "Your support requests"),
            .section(.class("panel"), .id("support"),
                .h1("Your support requests"),
                .p("Our replies come by email and appear here. ", .a(.href(SiteURL.contact.path), "Open a new request")),
                .if(tickets.isEmpty, .p(.id("no-tickets"), "You have not written to us yet.")),
                .ul(.class("tickets"), .forEach(tickets) { ticket in
                    .li(.class("ticket"),
                        .p(.a(.href(SiteURL.ticket(.value(ticket.id ?? UUID())).path), .strong(.text(SupportRequests.reference(ticket) + " · " + ticket.subject))),
                           .text(" "), status(ticket.status)),
                        .p(.class("hint"), .text(ticket.createdAt.map { "Sent " + DateText.short($0) } ?? "")))
                })
            )
        )
    }

    static func status(_ status: TicketStatus) -> Node<HTML.BodyContext> {
        .span(.class("status status-ticket-\(status.rawValue)"), .text(HelpPages.ticketStatus(status)))
    }

    /// The conversation: the opening message, the replies in turn, attached headshots, and the reply form.
    static func thread(_ viewer: Viewer, _ thread: SupportRequests.Thread, notice: String? = nil, error: String? = nil, draft: String = "",
                       status: HTTPResponseStatus = .ok) -> Response {
        let context = PageContext(viewer, title: "Support request")
        let ticket = thread.ticket
        guard let ticketID = ticket.id else { return Response(status: .notFound) }
        return Layout.page(context, status: status,
            .section(.class("panel"), .id("ticket"),
                .h1(.text(SupportRequests.reference(ticket) + " · " + ticket.subject)),
                FormComponents.notice(notice),
                .p(.id("ticket-status"), .text("Status: "), Self.status(ticket.status)),
                .unwrap(ticket.$order.id) { order in
                    .p(.text("About "), .a(.href(SiteURL.order(.value(order), nil).path), "your order"))
                },
                .if(!thread.attachments.isEmpty, .group(
                    .h2("Headshots you attached"),
                    .ul(.class("latest-grid"), .id("ticket-attachments"), .forEach(thread.attachments) { asset in
                        .li(.img(.src(SiteURL.order(.value(asset.$order.id), .headshotThumbnail(.value(asset.id ?? UUID()))).path),
                                 .alt("Attached headshot (\(StylePreset(rawValue: asset.preset)?.name ?? asset.preset))")))
                    }))),
                conversation(opening: ticket, messages: thread.messages, customerName: "You"),
                .if(ticket.status != .closed,
                    .form(.method(.post), .action(SiteURL.ticketReplies(.value(ticketID)).path), .id("ticket-reply-form"),
                        Layout.csrfField(context.csrf),
                        .div(.class(error == nil ? "field" : "field has-error"),
                            .label(.for("message"), "Reply"),
                            .unwrap(error) { .p(.class("error"), .id("message-error"), .text($0)) },
                            .textarea(.attribute(named: "id", value: "message"), .attribute(named: "name", value: "message"),
                                      .attribute(named: "rows", value: "4"), .attribute(named: "required", value: "required"),
                                      .attribute(named: "maxlength", value: String(SupportRequests.messageLength.upperBound)), .text(draft))),
                        .button(.type(.submit), .class("button"), .id("send-reply"), "Send reply"))),
                .p(.a(.href(SiteURL.support.path), "All your requests"))
            )
        )
    }

    /// The messages in turn; `customerName` is how the customer's own messages are headed.
    static func conversation(opening ticket: SupportTicket, messages: [SupportMessage], customerName: String) -> Node<HTML.BodyContext> {
        .ol(.class("conversation"), .id("conversation"),
            .li(.class("message from-customer"),
                .p(.class("hint"), .text("\(customerName) · \(ticket.createdAt.map(DateText.short) ?? "")")),
                .p(.class("message-body"), .text(ticket.body))),
            .forEach(messages) { message in
                .li(.class(message.fromStaff ? "message from-support" : "message from-customer"),
                    .p(.class("hint"), .text("\(message.fromStaff ? "Support" : customerName) · \(message.createdAt.map(DateText.short) ?? "")")),
                    .p(.class("message-body"), .text(message.body)))
            })
    }
}
