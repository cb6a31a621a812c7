import Plot
import Vapor

enum DashboardPage {
    static func render(_ req: Request, user: User, orders: [OrderDTO], notice: String? = nil) -> Response {
        let context = PageContext(req, title: "Your headshots")
        return Layout.page(context,
            .section(.class("panel"),
                .h1("Your headshots"),
                FormComponents.notice(notice),
                .form(.method(.post), .action(SiteURL.orders.path), Layout.csrfField(CSRF.token(for: req)),
                      .button(.type(.submit), .class("button"), "New headshots")),
                .if(!user.isVerified, .div(.class("notice"), .p("Please confirm your email address; we've sent you a link."))),
                .if(orders.isEmpty,
                    .p(.class("empty"), "You have no orders yet. When you start one, its progress appears here."),
                    else: .table(.class("orders"),
                        .caption("Your orders"),
                        .thead(.tr(.th("Order"), .th("Package"), .th("Status"), .th("Started"))),
                        .tbody(.forEach(orders) { order in
                            .tr(
                                .td(.a(.class("order-link"), .href(SiteURL.order(.value(order.id), order.status == .draft ? .photos : nil).path),
                                       .unwrap(order.thumbnailURL) { .img(.class("order-cover"), .src($0), .alt(""), .attribute(named: "loading", value: "lazy")) },
                                       .text(order.label)),
                                    .if(order.status == .draft, .form(.method(.post), .action(SiteURL.order(.value(order.id), .discard).path), .class("inline"),
                                        Layout.csrfField(context.csrf),
                                        .button(.type(.submit), .class("link danger discard-draft"), "Discard")))),
                                .td(.text(order.packageName ?? "Not chosen yet")),
                                .td(.span(.class("status status-\(order.status.rawValue)"), .text(order.statusLabel)),
                                    .if(order.status == .awaitingPayment, .group(.text(" "),
                                        .a(.class("pay-now"), .href(SiteURL.order(.value(order.id), .checkout).path), "Pay now")))),
                                .td(.text(order.createdAt.map(DateText.short) ?? ""))
                            )
                        })
                    )
                )
            )
        )
    }
}

enum DateText {
    static func short(_ date: Date) -> String { format(date, "d MMM yyyy, HH:mm 'UTC'") }

    /// "4 December 2026" (UTC): the day a promise is kept on.
    static func long(_ date: Date) -> String { format(date, "d MMMM yyyy") }

    private static func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
