import Plot
import Vapor

/// A chosen headshot in context: a profile card in the style of a professional network and an email
/// signature, drawn in HTML and CSS around the real image (no third-party logos), so the person can
/// pick the best one before downloading.
enum PreviewPage {
    static func render(_ req: Request, order: Order, item: Gallery.Item, name: String, headline: String, shares: [ShareLinkDTO]) throws -> Response {
        let orderID = try order.requireID()
        let square = item.links[.square] ?? ""
        let context = PageContext(req, title: "Preview")
        return Layout.page(context,
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
                   .a(.href(SiteURL.order(.value(orderID), .gallery).path + "#headshot-\(item.id)"), "Back to the gallery"))
            ),
            sharing(order: orderID, asset: item.assetID, csrf: context.csrf, shares: shares)
        )
    }

    private static func sharing(order: UUID, asset: UUID, csrf: String, shares: [ShareLinkDTO]) -> Node<HTML.BodyContext> {
        let buttons: [Node<HTML.FormContext>] = Sharing.lifetimes.map { days in
            .button(.type(.submit), .name("days"), .value(String(days)), .id("share-\(days)"), .text(days == 1 ? "Share for 1 day" : "Share for \(days) days"))
        }
        let list: [Node<HTML.ListContext>] = shares.map { share in
            .li(.class("share"),
                .input(.type(.text), .value(share.url), .readonly(true), .class("share-url"), .attribute(named: "aria-label", value: "Share link")),
                .form(.method(.post), .action(SiteURL.order(.value(order), .revokeShare(.value(asset), share: .value(share.id))).path), .class("inline"),
                      Layout.csrfField(csrf), .button(.type(.submit), .class("revoke"), "Revoke")))
        }
        return .section(.class("panel"), .id("sharing"),
            .h2("Share this headshot"),
            .p("A share link lets anyone who has it see this headshot at full size, without signing in, until it expires or you revoke it."),
            .form(.method(.post), .action(SiteURL.order(.value(order), .share(.value(asset))).path),
                Layout.csrfField(csrf),
                .group(buttons)
            ),
            .ul(.class("shares"), .group(list))
        )
    }
}
