import Foundation
import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// A paid order's selfies, to look at: the photos its headshots are made from, when they are
/// deleted, and a way to delete them now. They can no longer be changed (the order is priced on them).
enum SelfiesPage {
    static func render(_ viewer: Viewer, order: Order, set: PhotoSet, deleteAfter: Date?) throws -> Response {
        let orderID = try order.requireID()
        let kept = set.photos.filter { $0.upload.status == .accepted }
        return Layout.page(PageContext(viewer, title: "Your selfies"),
            .section(.class("panel"), .id("selfies"),
                .h1("Your selfies"),
                .p(.a(.href(SiteURL.order(.value(orderID), nil).path), "← Back to your order")),
                .if(kept.isEmpty,
                    .p(.id("selfies-deleted"), "This order's selfies have been deleted."),
                    else: .group(
                        .p(.class("lead"), .text("The \(kept.count) photos your headshots are made from. They can't be changed once an order is paid.")),
                        .unwrap(deleteAfter) { .p(.id("selfies-delete-after"), .text("We delete them on \(DateText.long($0)).")) },
                        .ul(.class("photo-grid"), .forEach(kept) { photo in
                            .li(.class("photo-card"),
                                .div(.class("thumb"),
                                    .img(.src(SiteURL.order(.value(orderID), .thumbnail(.value(photo.id))).path(["size": "256"])),
                                         .alt("Your photo \(photo.upload.originalFilename)"), .attribute(named: "loading", value: "lazy"))),
                                .p(.class("filename"), .text(photo.upload.originalFilename)))
                        }),
                        .if(!OrderStatus.beingMade.contains(order.status),
                            .p(.a(.id("delete-selfies-link"), .class("button secondary"),
                                  .href(SiteURL.deletions.path(["scope": "selfies", "order_id": orderID.uuidString.lowercased()])),
                                  "Delete these selfies now")),
                            else: .p(.class("hint"), "You can delete them as soon as your headshots are made."))
                    ))
            )
        )
    }
}
