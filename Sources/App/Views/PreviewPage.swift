import Plot
import Vapor

/// A chosen headshot in context: a profile card in the style of a professional network and an email
/// signature, drawn in HTML and CSS around the real image (no third-party logos), so the person can
/// pick the best one before downloading.
enum PreviewPage {
    static func render(_ req: Request, order: Order, item: Gallery.Item, name: String, headline: String) throws -> Response {
        let id = try order.requireID().uuidString.lowercased()
        let square = item.links[.square] ?? ""
        return Layout.page(PageContext(req, title: "Preview"),
            .section(.class("panel"),
                .h1("See it in context"),
                .p(.text("\(GalleryPage.name(item)), as others will see it.")),
                .div(.class("preview-frames"),
                    .div(.class("profile-card"), .id("profile-card"),
                        .div(.class("profile-banner")),
                        .img(.class("profile-photo"), .src(square), .alt("Your headshot on a profile")),
                        .p(.class("profile-name"), .text(name)),
                        .p(.class("profile-headline"), .text(headline)),
                        .p(.class("profile-meta"), "500+ connections")
                    ),
                    .div(.class("signature"), .id("email-signature"),
                        .img(.class("signature-photo"), .src(square), .alt("Your headshot in an email signature")),
                        .div(
                            .p(.class("signature-name"), .text(name)),
                            .p(.class("signature-title"), .text(headline)),
                            .p(.class("signature-contact"), .text(req.currentUser?.email ?? ""))
                        )
                    )
                ),
                .p(.a(.class("button"), .href((item.links[.full] ?? "") + "&dl=1"), "Download this one"), " ",
                   .a(.href("/orders/\(id)/gallery#headshot-\(item.id)"), "Back to the gallery"))
            )
        )
    }
}
