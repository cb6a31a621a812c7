import HeadshotCore
import Plot
import SiteRoutes
import Vapor

enum DashboardPage {
    static func render(_ viewer: Viewer, user: User, orders: [OrderDTO], notice: String? = nil) -> Response {
        let context = PageContext(viewer, title: "Your headshots")
        return Layout.page(context,
            .section(.class("panel"),
                .h1("Your headshots"),
                FormComponents.notice(notice),
                .form(.method(.post), .action(SiteURL.orders.path), Layout.csrfField(viewer.csrf),
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
                                .td(.span(.class("status status-\(order.status.rawValue)"), .text(order.status.label)),
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
