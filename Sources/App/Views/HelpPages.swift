import Foundation
import HeadshotCore
import Imaging
import Plot
import SiteRoutes
import Vapor

/// `/help`, `/terms` and `/contact`: the questions customers ask, answered from the code and the
/// configuration this service runs with (retention, refunds, the renderer, measured turnaround).
enum HelpPages {
    static func help(_ viewer: Viewer, config: AppConfig, turnaround: TurnaroundDTO, generator: String?) -> Response {
        let retention = config.retention
        return Layout.page(PageContext(viewer, title: "Help"),
            .section(.class("panel prose"), .id("help"),
                .h1("Help"),
                .h2(.id("renderer"), "What does the studio renderer do, and what doesn't it do?"),
                .p(.text(generator ?? StudioGenerator.description)),
                .p("Each headshot is one of your own photos: your face, hair, clothes and expression stay as they are in that photo. The renderer cuts you out, evens the light, retouches lightly and places you on the style's backdrop, framed as a close-up, head-and-shoulders or half-length portrait. It does not invent new poses, outfits or expressions, and it does not change how you look."),
                .h2(.id("how-many"), "How many different headshots will I get?"),
                .p("Within a style, every headshot is a different picture: another of your photos, or another framing of one. How many different pictures your photos give depends on how many you upload and how much of you each shows; the checkout states the number before you pay. If your photos give fewer than a package has, you can add photos, choose more styles, or buy the headshots they give at a price in proportion."),
                .h2(.id("turnaround"), "How long does it take?"),
                .p(.text(turnaround.sentence)),
                .p("The order page shows each headshot as it is made, with an estimate measured on recent orders. We email you when your headshots are ready."),
                .h2(.id("good-selfie"), "What makes a good selfie?"),
                .ul(
                    .li(.text("\(Thresholds.minimumSetSize) to \(Thresholds.maximumSetSize) recent photos of just you: no one else in the picture.")),
                    .li("Your face clear and in focus, looking at or near the camera; no sunglasses, hats or anything covering your face."),
                    .li("Even light: daylight from a window is best; avoid strong shadows and backlight."),
                    .li("Show your head and shoulders, with some space around you: photos cropped tightly at your chin give only close-ups."),
                    .li("Variety: different days, outfits and places give more different headshots.")
                ),
                .p("Each photo is checked as it arrives; a photo we can't use says what is wrong and how to retake it."),
                .h2(.id("deletion"), "When are my photos deleted?"),
                .p(.text("Selfies are deleted \(retention.selfieDays) days after upload and headshots \(retention.headshotDays) days after delivery, automatically. You can delete an order's selfies, a whole order or your account yourself at any time, and you get a receipt that proves it. ")),
                .p(.a(.href(SiteURL.privacy.path), "How we handle your data")),
                .h2(.id("reruns"), "Can I have headshots made again?"),
                .p(.text(Reruns.explanation(selfieDays: retention.selfieDays))),
                .h2(.id("refunds"), "Can I get a refund?"),
                .ul(.forEach(RefundPolicy.sentences) { .li(.text($0)) }),
                .p("Anything else? ", .a(.href(SiteURL.contact.path), "Contact us"), ".")
            )
        )
    }

    static func terms(_ viewer: Viewer, config: AppConfig) -> Response {
        let retention = config.retention
        return Layout.page(PageContext(viewer, title: "Terms"),
            .section(.class("panel prose"), .id("terms"),
                .h1("Terms of service"),
                .h2("What you buy"),
                .p("A package of headshots made from photos you upload, in the styles you choose, by the method stated on the styles page. The checkout states how many different headshots your photos give and the price before you pay; that is what you buy."),
                .p(.id("terms-reruns"), .text(Reruns.explanation(selfieDays: retention.selfieDays))),
                .h2("Your photos"),
                .p("Upload only photos of yourself that you have the right to use. You keep every right to your photos and headshots. We use them only to make your order, never to train models, and delete them on the dates shown with each order."),
                .p(.text("Selfies: deleted \(retention.selfieDays) days after upload. Headshots: deleted \(retention.headshotDays) days after delivery. You can delete them sooner yourself at any time.")),
                .h2(.id("refund-policy"), "Refunds"),
                .ul(.id("refund-terms"), .forEach(RefundPolicy.sentences) { .li(.text($0)) }),
                .h2("Your account"),
                .p("Keep your password to yourself. You can sign out other devices and revoke API tokens on your account page, and delete your account there."),
                .h2("Contact"),
                .p("Questions about these terms or an order: ", .a(.href(SiteURL.contact.path), "the contact page"), ".")
            )
        )
    }

    struct ContactModel {
        var user: User?
        var orders: [OrderDTO] = []
        var tickets: [SupportTicket] = []
        var errors: [String: String] = [:]
        var notice: String?
        var category: String?
        var orderID: UUID?
        var message = ""
        var email = ""
        /// Headshots of `orderID` to attach (a gallery's "Report a problem" brings one).
        var headshots: [UUID] = []
    }

    static func contact(_ viewer: Viewer, _ model: ContactModel, status: HTTPResponseStatus = .ok) -> Response {
        let context = PageContext(viewer, title: "Contact us")
        let form = model.user == nil ? messageForm(model, csrf: context.csrf) : ticketForm(model, csrf: context.csrf)
        return Layout.page(context, status: status,
            .section(.class("panel"), .id("contact"),
                .h1("Contact us"),
                FormComponents.notice(model.notice),
                FormComponents.alert(model.errors.isEmpty ? nil : "Please fix the highlighted fields."),
                form
            ),
            .if(!model.tickets.isEmpty, tickets(model.tickets))
        )
    }

    private static func ticketForm(_ model: ContactModel, csrf: String) -> Node<HTML.BodyContext> {
        let categories = [option("", "Choose…", selected: false)] + SupportRequests.Category.allCases.map { category in
            option(category.rawValue, category.label, selected: model.category == category.rawValue)
        }
        let orders = [option("", "None", selected: false)] + model.orders.map { order in
            option(order.id.uuidString.lowercased(), order.label + " · " + order.status.label, selected: model.orderID == order.id)
        }
        return .form(.method(.post), .action(SiteURL.contact.path), .id("ticket-form"),
            Layout.csrfField(csrf),
            .p("Tell us what happened; we reply by email."),
            selectField("category", label: "What is it about?", error: model.errors["category"], required: true, options: categories),
            selectField("order_id", label: "Which order? (optional)", error: model.errors["order_id"], required: false, options: orders),
            .unwrap(model.orderID) { order in
                .if(!model.headshots.isEmpty, .div(.class("field"), .id("attach-headshots"),
                    .p(.class("hint"), "Attached so our support team can see it (they see no other headshots of yours):"),
                    .unwrap(model.errors["headshot_ids"]) { .p(.class("error"), .text($0)) },
                    .ul(.class("latest-grid"), .forEach(model.headshots) { asset in
                        .li(.label(.img(.src(SiteURL.order(.value(order), .headshotThumbnail(.value(asset))).path), .alt("The headshot you are reporting")),
                                   .input(.type(.checkbox), .name("headshot_ids[]"), .value(asset.uuidString.lowercased()), .attribute(named: "checked", value: "checked")),
                                   " Attach this headshot"))
                    })))
            },
            messageField(model),
            .button(.type(.submit), .class("button"), .id("send-ticket"), "Send")
        )
    }

    private static func messageForm(_ model: ContactModel, csrf: String) -> Node<HTML.BodyContext> {
        .form(.method(.post), .action(SiteURL.contact.path), .id("contact-form"),
            Layout.csrfField(csrf),
            .p("Can't sign in, or a question before you start? Write to us; we reply by email. ",
               .a(.href(SiteURL.logIn.path(["next": SiteURL.contact.path])), "Sign in"), " to ask about an order."),
            FormComponents.field(FormComponents.Field(name: "email", label: "Your email", type: .email, value: model.email, autocomplete: "email",
                                                      error: model.errors["email"])),
            messageField(model),
            .button(.type(.submit), .class("button"), .id("send-message"), "Send")
        )
    }

    private static func selectField(_ name: String, label: String, error: String?, required: Bool, options: [Node<HTML.SelectContext>]) -> Node<HTML.FormContext> {
        .div(.class(error == nil ? "field" : "field has-error"),
            .label(.for(name), .text(label)),
            .unwrap(error) { .p(.class("error"), .text($0)) },
            .select(.attribute(named: "id", value: name), .attribute(named: "name", value: name),
                    .attribute(named: "required", value: required ? "required" : nil), .group(options)))
    }

    /// `<option>` with its text (Plot's own option element has attributes only).
    private static func option(_ value: String, _ text: String, selected: Bool) -> Node<HTML.SelectContext> {
        .element(named: "option", nodes: [.attribute(named: "value", value: value, ignoreIfValueIsEmpty: false),
                                          .attribute(named: "selected", value: selected ? "selected" : nil), .text(text)])
    }

    private static func tickets(_ tickets: [SupportTicket]) -> Node<HTML.BodyContext> {
        .section(.class("panel"), .id("your-requests"),
            .h2("Your requests"),
            .p(.a(.id("all-requests"), .href(SiteURL.support.path), "See your requests and our replies")),
            .ul(.class("tickets"), .forEach(tickets) { ticket in
                let title = SupportRequests.reference(ticket) + " · " + ticket.subject
                let sent = ticket.createdAt.map { "Sent " + DateText.short($0) } ?? ""
                return .li(.class("ticket"),
                    .p(.a(.href(SiteURL.ticket(.value(ticket.id ?? UUID())).path), .strong(.text(title))), .text(" "), .span(.class("status status-ticket-\(ticket.status.rawValue)"), .text(ticketStatus(ticket.status)))),
                    .p(.class("hint"), .text(sent)),
                    .p(.class("ticket-message"), .text(ticket.body)))
            })
        )
    }

    private static func messageField(_ model: ContactModel) -> Node<HTML.FormContext> {
        .div(.class(model.errors["message"] == nil ? "field" : "field has-error"),
            .label(.for("message"), "Message"),
            .unwrap(model.errors["message"]) { .p(.class("error"), .id("message-error"), .text($0)) },
            .textarea(.attribute(named: "id", value: "message"), .attribute(named: "name", value: "message"), .attribute(named: "rows", value: "6"),
                      .attribute(named: "required", value: "required"),
                      .attribute(named: "minlength", value: String(SupportRequests.messageLength.lowerBound)),
                      .attribute(named: "maxlength", value: String(SupportRequests.messageLength.upperBound)),
                      .text(model.message)))
    }

    static func ticketStatus(_ status: TicketStatus) -> String {
        switch status {
        case .open: "Received"
        case .pending: "Waiting for your reply"
        case .resolved: "Resolved"
        case .closed: "Closed"
        }
    }
}
