import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// A chosen headshot in context: a profile card in the style of a professional network and an email
/// signature, drawn in HTML and CSS around the real image (no third-party logos), so the person can
/// pick the best one before downloading.
enum PreviewPage {
    /// `name` and `headline` are the customer's own (account settings); missing ones show as placeholders.
    static func render(_ viewer: Viewer, order: Order, item: Gallery.Item, name: String?, headline: String?, shares: [ShareLinkDTO]) throws -> Response {
        let shownName = name ?? "Your name", shownHeadline = headline ?? "Your job title"
        let orderID = try order.requireID()
        let square = item.links[.square] ?? ""
        let context = PageContext(viewer, title: "Preview")
        return Layout.page(context,
            .section(.class("panel"),
                .h1("See it in context"),
                .p(.text("\(GalleryPage.name(item)), as others will see it.")),
                .if(name == nil || headline == nil,
                    .p(.id("profile-hint"), .class("hint"), "Add your name and job title on ", .a(.href(SiteURL.account(nil).path + "#profile"), "your account page"),
                       " to see them here.")),
                .div(.class("preview-frames"),
                    .div(.class("profile-card"), .id("profile-card"),
                        .div(.class("profile-banner")),
                        .img(.class("profile-photo"), .src(square), .alt("Your headshot on a profile")),
                        .p(.class("profile-name"), .text(shownName)),
                        .p(.class("profile-headline"), .text(shownHeadline)),
                        .p(.class("profile-meta"), "500+ connections")
                    ),
                    .div(.class("signature"), .id("email-signature"),
                        .img(.class("signature-photo"), .src(square), .alt("Your headshot in an email signature")),
                        .div(
                            .p(.class("signature-name"), .text(shownName)),
                            .p(.class("signature-title"), .text(shownHeadline)),
                            .p(.class("signature-contact"), .text(viewer.account?.email ?? ""))
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
            .button(.type(.submit), .name("days"), .value(String(days)), .id("share-\(days)"), .class("button secondary"),
                    .text(days == 1 ? "Share for 1 day" : "Share for \(days) days"))
        }
        return .section(.class("panel"), .id("sharing"),
            .h2("Share this headshot"),
            .p("A share link lets anyone who has it see this headshot at full size, without signing in, until it expires or you revoke it."),
            .form(.method(.post), .action(SiteURL.order(.value(order), .share(.value(asset))).path), .class("share-buttons"),
                Layout.csrfField(csrf),
                .group(buttons)
            ),
            .if(!shares.isEmpty, .h3("Live share links")),
            ShareList.render(order: order, csrf: csrf, shares: shares.map { (asset, nil, $0) }),
            .script(.src(SiteURL.asset(.script("share.js")).path), .attribute(named: "defer", value: "defer"))
        )
    }
}

/// Live share links, each with its link ready to copy, when it expires, and a revoke button; on a
/// headshot's preview page (its own links) and in the gallery (all of the order's).
enum ShareList {
    /// `fromGallery`: a revoke comes back to the gallery instead of the headshot's preview.
    static func render(order: UUID, csrf: String, shares: [(asset: UUID, name: String?, share: ShareLinkDTO)], fromGallery: Bool = false) -> Node<HTML.BodyContext> {
        .ul(.class("shares"), .forEach(shares) { asset, name, share in
            .li(.class("share"), .id("share-\(share.id)"),
                .unwrap(name) { .p(.class("share-name"), .strong(.text($0))) },
                .div(.class("share-row"),
                    .input(.type(.text), .value(share.url), .readonly(true), .class("share-url"), .id("share-url-\(share.id)"),
                           .attribute(named: "aria-label", value: "Share link")),
                    .button(.type(.button), .class("button small copy-share"), .attribute(named: "data-copy", value: "share-url-\(share.id)"), "Copy")),
                .p(.class("hint share-expiry"), .text("Works until \(DateText.short(share.expiresAt)). "),
                   .span(.class("copy-status"), .attribute(named: "aria-live", value: "polite"))),
                .form(.method(.post), .action(SiteURL.order(.value(order), .revokeShare(.value(asset), share: .value(share.id))).path), .class("inline"),
                      Layout.csrfField(csrf), .if(fromGallery, .input(.type(.hidden), .name("from"), .value("gallery"))),
                      .button(.type(.submit), .class("button small danger revoke"), "Revoke")))
        })
    }
}
