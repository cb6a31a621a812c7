import Plot
import Vapor

/// An order's overview: its state, its photos, and what comes next.
enum OrderPage {
    static func render(_ req: Request, order: Order, set: PhotoSet, packages: [PackageDTO]) throws -> Response {
        let id = try order.requireID().uuidString.lowercased()
        let dto = try OrderDTO(order)
        return Layout.page(PageContext(req, title: "Your order"),
            .section(.class("panel"),
                .h1("Your order"),
                .p(.span(.class("status status-\(order.status.rawValue)"), .text(dto.statusLabel))),
                .p(.text(set.summary)),
                .p(.a(.href("/orders/\(id)/photos"), .text(order.status == .draft ? "Review or change your photos" : "See your photos"))),
                .if(set.ready && order.status == .draft,
                    .group(
                        .h2("Next: styles and package"),
                        .p("Your photos are ready. Choose your styles and one of these packages."),
                        .ul(.class("cards"), .forEach(packages) { package in
                            .li(.class("card"), .h3(.text(package.name)),
                                .p(.text("\(Money.format(minor: package.priceMinor, currency: package.currency)) · \(package.headshotCount) headshots, up to \(package.maxPresets) styles")))
                        }),
                        .p(.a(.id("choose-styles"), .class("button"), .href("/orders/\(id)/checkout"), "Choose styles and package"))
                    )
                )
            )
        )
    }
}
