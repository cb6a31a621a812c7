import Foundation
import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// The staff console's pages. Support sees metadata and attached headshots; admins see the photo
/// links, packages and roles besides. Every form posts with the page's CSRF token.
enum AdminPages {
    static func nav(_ context: PageContext) -> Node<HTML.BodyContext> {
        let admin = context.user?.role == .admin
        return .nav(.class("filters"), .id("console-nav"), .attribute(named: "aria-label", value: "Console"),
            .a(.class("filter"), .href(SiteURL.admin(nil).path), "Overview"),
            .a(.class("filter"), .href(SiteURL.admin(.tickets).path), "Tickets"),
            .a(.class("filter"), .href(SiteURL.admin(.users).path), "Users"),
            .a(.class("filter"), .href(SiteURL.admin(.kpis).path), "KPIs"),
            .if(admin, .a(.class("filter"), .href(SiteURL.admin(.packages).path), "Packages")))
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(max(seconds, 0))
        if s < 120 { return "\(s) s" }
        if s < 7_200 { return "\(s / 60) min" }
        if s < 172_800 { return "\(s / 3_600) h \(s % 3_600 / 60) min" }
        return "\(s / 86_400) days"
    }

    /// A ticket's state as support reads it (the customer's page says "Waiting for your reply").
    static func staffLabel(_ status: TicketStatus) -> String {
        status == .pending ? "Waiting for the customer" : HelpPages.ticketStatus(status)
    }

    static func staffStatus(_ status: TicketStatus) -> Node<HTML.BodyContext> {
        .span(.class("status status-ticket-\(status.rawValue)"), .text(staffLabel(status)))
    }

    static func id(_ uuid: UUID?) -> String { uuid?.uuidString.lowercased() ?? "" }

    // MARK: Overview

    static func overview(_ viewer: Viewer, _ overview: StaffConsole.Overview, notice: String?) -> Response {
        let context = PageContext(viewer, title: "Console")
        return Layout.page(context,
            .section(.class("panel"), .id("console"),
                .h1("Console"), nav(context), FormComponents.notice(notice),
                .h2("Jobs that need a person"),
                .p(.class("hint"), .text("Stuck: queued or running for more than \(duration(overview.stuckAfter)) (three times the recent median, at least 15 minutes). Failed: in the last 30 days.")),
                .if(overview.alerts.isEmpty, .p(.id("no-alerts"), "Nothing stuck or failed.")),
                .if(!overview.alerts.isEmpty, .div(.class("table-wrap"), .table(.id("job-alerts"),
                    .tr(.th("Order"), .th("Customer"), .th("Job"), .th("Age"), .th("Attempts"), .th("Last error")),
                    .forEach(overview.alerts) { alert in
                        .tr(.class(alert.stuck ? "stuck" : "failed"),
                            .td(.a(.href(SiteURL.admin(.order(.value(alert.order.id ?? UUID()))).path), .text(String(id(alert.order.id).prefix(8))))),
                            .td(.text(alert.customer)),
                            .td(.text("\(alert.job.kind) · \(alert.stuck ? "stuck, " : "")\(alert.job.status.rawValue)")),
                            .td(.text(duration(alert.age))),
                            .td(.text("\(alert.job.attempts)/\(alert.job.maxAttempts)")),
                            .td(.text(alert.job.lastError ?? "")))
                    }))),
                .h2("Refund requests"),
                .if(overview.refunds.isEmpty, .p("No refund is waiting.")),
                .ul(.id("refund-queue"), .forEach(overview.refunds) { refund in
                    .li(.a(.href(SiteURL.admin(.order(.value(refund.$order.id))).path),
                           .text("\(Money.format(minor: refund.amountMinor, currency: refund.currency)) · \(refund.status.rawValue) · \(refund.reason)")))
                }),
                .h2("Open tickets"),
                ticketTable(overview.openTickets)
            )
        )
    }

    static func ticketTable(_ tickets: [SupportTicket]) -> Node<HTML.BodyContext> {
        .group(
            .if(tickets.isEmpty, .p(.id("no-tickets"), "No tickets.")),
            .if(!tickets.isEmpty, .div(.class("table-wrap"), .table(.id("ticket-table"),
                .tr(.th("Ticket"), .th("About"), .th("Status"), .th("Opened")),
                .forEach(tickets) { ticket in
                    .tr(.td(.a(.href(SiteURL.admin(.ticket(.value(ticket.id ?? UUID()))).path), .text(SupportRequests.reference(ticket)))),
                        .td(.text(ticket.subject)),
                        .td(staffStatus(ticket.status)),
                        .td(.text(ticket.createdAt.map(DateText.short) ?? "")))
                })))
        )
    }

    static func tickets(_ viewer: Viewer, _ tickets: [SupportTicket], status: String?) -> Response {
        let context = PageContext(viewer, title: "Tickets")
        return Layout.page(context,
            .section(.class("panel"), .id("console-tickets"),
                .h1("Tickets"), nav(context),
                .nav(.class("filters"),
                    .a(.class(status == nil ? "filter active" : "filter"), .href(SiteURL.admin(.tickets).path), "Open and waiting"),
                    .forEach(TicketStatus.allCases) { state in
                        .a(.class(status == state.rawValue ? "filter active" : "filter"), .href(SiteURL.admin(.tickets).path(["status": state.rawValue])),
                           .text(staffLabel(state)))
                    }),
                ticketTable(tickets))
        )
    }

    // MARK: One ticket

    static func ticket(_ viewer: Viewer, _ thread: SupportRequests.Thread, order: Order?, credits: Int?, notice: String?, error: String? = nil,
                       status: HTTPResponseStatus = .ok) -> Response {
        let context = PageContext(viewer, title: "Ticket")
        let ticket = thread.ticket
        let ticketID = ticket.id ?? UUID()
        return Layout.page(context, status: status,
            .section(.class("panel"), .id("console-ticket"),
                .h1(.text(SupportRequests.reference(ticket) + " · " + ticket.subject)), nav(context), FormComponents.notice(notice),
                .p(.text("From \(thread.customer.email) · "), staffStatus(ticket.status)),
                .unwrap(order) { order in
                    .p(.text("Order: "), .a(.id("ticket-order"), .href(SiteURL.admin(.order(.value(order.id ?? UUID()))).path),
                                            .text("\(String(id(order.id).prefix(8))) · \(order.status.rawValue)")),
                       .text(credits.map { " · \($0) re-run credit\($0 == 1 ? "" : "s") left" } ?? ""))
                },
                .if(!thread.attachments.isEmpty, .group(
                    .h2("Attached headshots"),
                    .ul(.class("latest-grid"), .id("ticket-attachments"), .forEach(thread.attachments) { asset in
                        .li(.img(.src(SiteURL.admin(.attachment(.value(ticketID), asset: .value(asset.id ?? UUID()))).path),
                                 .alt("Attached headshot, \(StylePreset(rawValue: asset.preset)?.name ?? asset.preset)")),
                            .p(.class("hint"), .text(StylePreset(rawValue: asset.preset)?.name ?? asset.preset)))
                    }))),
                SupportPages.conversation(opening: ticket, messages: thread.messages, customerName: "Customer"),
                .if(ticket.status != .closed,
                    .form(.method(.post), .action(SiteURL.admin(.ticketReplies(.value(ticketID))).path), .id("staff-reply-form"),
                        Layout.csrfField(context.csrf),
                        .div(.class(error == nil ? "field" : "field has-error"),
                            .label(.for("message"), "Reply (emailed to the customer)"),
                            .unwrap(error) { .p(.class("error"), .text($0)) },
                            .textarea(.attribute(named: "id", value: "message"), .attribute(named: "name", value: "message"),
                                      .attribute(named: "rows", value: "5"), .attribute(named: "required", value: "required"))),
                        .p(.label(.input(.type(.checkbox), .name("resolve"), .value("true")), " Resolve the ticket with this reply")),
                        .button(.type(.submit), .class("button"), .id("send-staff-reply"), "Send reply"))),
                .unwrap(order.flatMap { rerunForm(order: $0, csrf: context.csrf, back: SiteURL.admin(.ticket(.value(ticketID))).path) }) { $0 },
                .form(.method(.post), .action(SiteURL.admin(.ticketStatus(.value(ticketID))).path), .class("inline-form"),
                    Layout.csrfField(context.csrf),
                    .element(named: "select", nodes: [.attribute(named: "name", value: "status"), .attribute(named: "aria-label", value: "Ticket status")]
                             + TicketStatus.allCases.map { state in
                                 .element(named: "option", nodes: [.attribute(named: "value", value: state.rawValue),
                                                                   .attribute(named: "selected", value: state == ticket.status ? "selected" : nil),
                                                                   .text(staffLabel(state))])
                             }),
                    .button(.type(.submit), .class("button secondary"), "Set status"))
            )
        )
    }

    /// Support's one click: re-make a style of a completed order (a credit granted and spent), or try a failed one again.
    static func rerunForm(order: Order, csrf: String, back: String) -> Node<HTML.BodyContext>? {
        guard let orderID = order.id, [.completed, .failed].contains(order.status) else { return nil }
        let styles = StylePreset.chosen(order.presets)
        return .form(.method(.post), .action(SiteURL.admin(.orderReruns(.value(orderID))).path), .id("staff-rerun-form"), .class("inline-form"),
            Layout.csrfField(csrf),
            .input(.type(.hidden), .name("back"), .value(back)),
            .if(order.status == .completed, .group(
                .label(.for("staff-rerun-style"), "Re-run style "),
                .element(named: "select", nodes: [.id("staff-rerun-style"), .attribute(named: "name", value: "style")] + styles.map { style in
                    .element(named: "option", nodes: [.attribute(named: "value", value: style.rawValue), .text(style.name)])
                }))),
            .button(.type(.submit), .class("button secondary"), .id("staff-rerun"),
                    .text(order.status == .completed ? "Re-run it (free credit)" : "Try the failed order again")))
    }

    // MARK: One order

    /// `gpuCurrency` is set when a remote generator is configured: admins then see what the order cost at the provider.
    static func gpuSentence(_ cost: (predictions: Int, seconds: Double, cost: Double), currency: String) -> String {
        "\(cost.predictions) prediction\(cost.predictions == 1 ? "" : "s"), \(String(format: "%.1f", cost.seconds)) s of GPU time billed, "
            + "\(String(format: "%.4f", cost.cost)) \(currency) at the configured price per second."
    }

    static func order(_ viewer: Viewer, _ file: StaffConsole.OrderFile, notice: String?, gpuCurrency: String? = nil) -> Response {
        let context = PageContext(viewer, title: "Order")
        let order = file.order
        let orderID = order.id ?? UUID()
        let admin = context.user?.role == .admin
        return Layout.page(context,
            .section(.class("panel"), .id("console-order"),
                .h1(.text("Order \(String(id(order.id).prefix(8)))")), nav(context), FormComponents.notice(notice),
                .table(.id("order-facts"),
                    .tr(.th("Status"), .td(.id("order-status"), .text(order.status.rawValue))),
                    .tr(.th("Customer"), .td(.text(file.customer?.email ?? "deleted account"))),
                    .tr(.th("Package"), .td(.text("\(order.headshotCount.map(String.init) ?? "–") headshots in \(order.presets ?? "–")"))),
                    .tr(.th("Paid"), .td(.text(order.amountMinor.map { Money.format(minor: $0, currency: order.currency ?? "USD") } ?? "–"))),
                    .tr(.th("Headshots delivered"), .td(.text(String(file.headshots)))),
                    .tr(.th("Re-run credits"), .td(.id("order-credits"), .text(file.entitlement.map { String($0.rerunCredits) } ?? "–"))),
                    .tr(.th("Legal hold"), .td(.text(file.held ? "yes" : "no")))),
                rerunForm(order: order, csrf: context.csrf, back: SiteURL.admin(.order(.value(orderID))).path) ?? .empty,
                .h2("Time in each state"),
                .table(.id("state-spans"),
                    .tr(.th("State"), .th("From"), .th("For")),
                    .forEach(file.spans) { span in
                        .tr(.td(.text(span.state)), .td(.text(DateText.short(span.from))), .td(.text(duration(span.seconds) + (span.until == nil ? " so far" : ""))))
                    }),
                .h2("Jobs"),
                .table(.id("order-jobs"),
                    .tr(.th("Job"), .th("Kind"), .th("Status"), .th("Progress"), .th("Attempts"), .th("Last error")),
                    .forEach(file.jobs) { job in
                        .tr(.td(.text(String(id(job.id).prefix(8)))), .td(.text(job.kind)), .td(.text(job.status.rawValue)),
                            .td(.text("\(job.progressDone)/\(job.progressTotal)")), .td(.text("\(job.attempts)/\(job.maxAttempts)")), .td(.text(job.lastError ?? "")))
                    }),
                .h2("Refunds"),
                .if(file.refunds.isEmpty, .p("None.")),
                .ul(.id("order-refunds"), .forEach(file.refunds) { refund in
                    .li(.text("\(Money.format(minor: refund.amountMinor, currency: refund.currency)) · \(refund.status.rawValue) · \(refund.reason) "),
                        .if([.requested, .approved].contains(refund.status), .group(
                            .form(.method(.post), .action(SiteURL.admin(.refundApprove(.value(refund.id ?? UUID()))).path), .class("inline"),
                                Layout.csrfField(context.csrf),
                                .button(.type(.submit), .class("button small"), .id("approve-refund"), "Approve and pay back")),
                            .form(.method(.post), .action(SiteURL.admin(.refundReject(.value(refund.id ?? UUID()))).path), .class("inline-form"),
                                Layout.csrfField(context.csrf),
                                .input(.type(.text), .name("reason"), .attribute(named: "aria-label", value: "Why it is declined"), .attribute(named: "required", value: "required"),
                                       .attribute(named: "placeholder", value: "Why it is declined")),
                                .button(.type(.submit), .class("button small secondary"), .id("reject-refund"), "Decline")))))
                }),
                .h2("Tickets"),
                ticketTable(file.tickets),
                .h2("Photos"),
                .p(.text("\(file.photos.filter { $0.status == .accepted }.count) accepted of \(file.photos.count) uploaded. "),
                   .text(admin ? "Opening one is recorded in the audit trail." : "Support does not see photos; a customer can attach headshots to a ticket.")),
                .if(admin, .ul(.id("order-photos"), .forEach(file.photos.filter { $0.status != .deleted }) { photo in
                    .li(.a(.href(SiteURL.admin(.orderPhoto(.value(orderID), photo: .value(photo.id ?? UUID()))).path), .text("\(photo.originalFilename) · \(photo.status.rawValue)")))
                })),
                .if(admin, holdForm(order: order, held: file.held, csrf: context.csrf)),
                .if(admin && gpuCurrency != nil, .group(
                    .h2("GPU provider"),
                    .p(.id("order-gpu-cost"), .text(Self.gpuSentence(file.gpuCost, currency: gpuCurrency ?? "USD"))))),
                .h2("Audit trail"),
                .div(.class("table-wrap"), .table(.id("audit-trail"),
                    .tr(.th("When"), .th("Who"), .th("What"), .th("Change"), .th("Detail")),
                    .forEach(file.trail) { event in
                        .tr(.td(.text(DateText.short(event.createdAt))),
                            .td(.text(event.actorType.rawValue + (event.actorID.map { " " + String($0.uuidString.lowercased().prefix(8)) } ?? ""))),
                            .td(.text(event.action)),
                            .td(.text([event.fromState, event.toState].compactMap { $0 }.joined(separator: " → "))),
                            .td(.text(event.detail ?? "")))
                    }))
            )
        )
    }

    static func holdForm(order: Order, held: Bool, csrf: String) -> Node<HTML.BodyContext> {
        .form(.method(.post), .action(SiteURL.admin(.orderHold(.value(order.id ?? UUID()))).path), .id("hold-form"), .class("inline-form"),
            Layout.csrfField(csrf),
            .if(order.legalHoldAt == nil, .group(
                .input(.type(.text), .name("reason"), .attribute(named: "aria-label", value: "Reason for the hold"), .attribute(named: "required", value: "required"),
                       .attribute(named: "placeholder", value: "Reason for a legal hold")),
                .button(.type(.submit), .class("button small secondary"), "Place a legal hold"))),
            .if(order.legalHoldAt != nil, .group(
                .input(.type(.hidden), .name("release"), .value("true")),
                .button(.type(.submit), .class("button small secondary"), "Release the legal hold"))))
    }

    // MARK: Users

    static func users(_ viewer: Viewer, query: String, found: [StaffConsole.UserFile]?, error: String?) -> Response {
        let context = PageContext(viewer, title: "Users")
        let admin = context.user?.role == .admin
        return Layout.page(context,
            .section(.class("panel"), .id("console-users"),
                .h1("Users"), nav(context),
                .form(.method(.get), .action(SiteURL.admin(.users).path), .class("inline-form"), .id("user-lookup"),
                    .label(.for("email"), "Email "),
                    .input(.id("email"), .name("email"), .type(.text), .value(query), .attribute(named: "required", value: "required")),
                    .button(.type(.submit), .class("button"), "Look up")),
                .unwrap(error) { .p(.class("error"), .text($0)) },
                .unwrap(found) { files in
                    .group(
                        .if(files.isEmpty, .p(.id("no-users"), "No account matches.")),
                        .forEach(files) { file in
                            .article(.class("card user-file"),
                                .h2(.text(file.user.email)),
                                .p(.text("Role: \(file.user.role.rawValue) · \(file.orders.count) orders · \(file.tickets) tickets · joined \(file.user.createdAt.map(DateText.short) ?? "")")),
                                .ul(.forEach(file.orders) { order in
                                    .li(.a(.href(SiteURL.admin(.order(.value(order.id ?? UUID()))).path),
                                           .text("\(String(id(order.id).prefix(8))) · \(order.status.rawValue) · \(order.createdAt.map(DateText.short) ?? "")")))
                                }),
                                .if(admin, roleForm(file.user, csrf: context.csrf)))
                        })
                })
        )
    }

    static func roleForm(_ user: User, csrf: String) -> Node<HTML.BodyContext> {
        .form(.method(.post), .action(SiteURL.admin(.userRole(.value(user.id ?? UUID()))).path), .class("inline-form role-form"),
            Layout.csrfField(csrf),
            .element(named: "select", nodes: [.attribute(named: "name", value: "role"), .attribute(named: "aria-label", value: "Role")] + User.Role.allCases.map { role in
                .element(named: "option", nodes: [.attribute(named: "value", value: role.rawValue),
                                                  .attribute(named: "selected", value: role == user.role ? "selected" : nil), .text(role.rawValue)])
            }),
            .button(.type(.submit), .class("button small secondary"), "Set role"))
    }

    // MARK: Packages

    static func packages(_ viewer: Viewer, _ packages: [Package], notice: String?, errors: [String: String] = [:]) -> Response {
        let context = PageContext(viewer, title: "Packages")
        return Layout.page(context, status: errors.isEmpty ? .ok : .unprocessableEntity,
            .section(.class("panel"), .id("console-packages"),
                .h1("Packages"), nav(context), FormComponents.notice(notice),
                FormComponents.alert(errors.isEmpty ? nil : errors.sorted { $0.key < $1.key }.map(\.value).joined(separator: " ")),
                .p(.class("hint"), "A change applies to orders checked out after it: an order keeps the count, price and re-runs it was sold with."),
                .forEach(packages) { package in
                    .form(.method(.post), .action(SiteURL.admin(.package(.value(package.id ?? UUID()))).path), .class("card package-form"),
                          .id("package-\(package.code)"),
                        Layout.csrfField(context.csrf),
                        .h2(.text(package.code)),
                        numberField("name", "Name", package.name, type: .text),
                        numberField("price_minor", "Price (cents)", String(package.priceMinor)),
                        numberField("headshot_count", "Headshots", String(package.headshotCount)),
                        numberField("max_presets", "Styles", String(package.maxPresets)),
                        numberField("rerun_credits", "Re-runs", String(package.rerunCredits)),
                        .button(.type(.submit), .class("button"), "Save"))
                })
        )
    }

    private static func numberField(_ name: String, _ label: String, _ value: String, type: HTMLInputType = .number) -> Node<HTML.FormContext> {
        .div(.class("field"), .label(.text(label), .input(.name(name), .type(type), .value(value), .attribute(named: "required", value: "required"))))
    }
}
