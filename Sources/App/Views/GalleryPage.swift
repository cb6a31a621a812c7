import Foundation
import Imaging
import Plot
import Vapor

/// A completed order's headshots: a lazy-loaded grid filtered by style, each with its downloads,
/// and when the headshots will be deleted.
enum GalleryPage {
    /// `filter` is a preset code, "favourites", or nil for all.
    static func render(_ req: Request, order: Order, gallery: Gallery, filter: String?,
                       shares: [(asset: UUID, name: String?, share: ShareLinkDTO)] = []) throws -> Response {
        let orderID = try order.requireID()
        let galleryPath = SiteURL.order(.value(orderID), .gallery)
        let context = PageContext(req, title: "Your headshots")
        let presets = StylePreset.list(Set(gallery.items.map(\.asset.preset)).sorted())
        let favourites = gallery.items.filter(\.asset.favourite).count
        let shown = gallery.items.filter { filter == nil || (filter == "favourites" ? $0.asset.favourite : $0.asset.preset == filter) }
        return Layout.page(context,
            .section(.class("panel"), .id("gallery"),
                .h1("Your headshots"),
                .p(.id("gallery-summary"), .text(summary(gallery, styles: presets.count))),
                .unwrap(gallery.deleteAfter) { .p(.id("delete-after"), .text("They will be deleted on \(DateText.long($0)); download the ones you want before then.")) },
                .p(.class("bundles"),
                   .a(.id("zip-all"), .class("button"), .href((gallery.bundles[.all] ?? "") + "&dl=1"), "Download all (ZIP)"), " ",
                   .if(favourites > 0, .a(.id("zip-favourites"), .class("button secondary"), .href((gallery.bundles[.favourites] ?? "") + "&dl=1"),
                                          .text("Download \(favourites) favourite\(favourites == 1 ? "" : "s") (ZIP)")))),
                .p(.class("hint"), "Download links last 15 minutes and only work for you. ",
                   .a(.href(filter.map { galleryPath.path(["preset": $0]) } ?? galleryPath.path), "Refresh the links")),
                .nav(.class("filters"), .attribute(named: "aria-label", value: "Filter by style"),
                    .a(.href(galleryPath.path), .class(filter == nil ? "filter active" : "filter"), "All"),
                    .a(.id("filter-favourites"), .href(galleryPath.path(["preset": "favourites"])), .class(filter == "favourites" ? "filter active" : "filter"),
                       .text("Favourites (\(favourites))")),
                    .forEach(presets) { style in
                        .a(.href(galleryPath.path(["preset": style.rawValue])), .class(filter == style.rawValue ? "filter active" : "filter"),
                           .text(style.name))
                    }
                ),
                .ul(.class("gallery-grid"),
                    .forEach(shown) { item in
                        .li(.class("headshot"), .id("headshot-\(item.id)"), .data(named: "preset", value: item.asset.preset),
                            .data(named: "full", value: item.links[.full] ?? ""), .data(named: "name", value: name(item)),
                            .a(.class("open-lightbox"), .href(item.links[.full] ?? ""),
                                .img(.src(item.links[.thumbnail] ?? ""), .alt("\(name(item)) headshot"),
                                     .attribute(named: "loading", value: "lazy"), .attribute(named: "width", value: "240"), .attribute(named: "height", value: "300"))
                            ),
                            .p(.class("caption"), .text(name(item))),
                            .unwrap(item.asset.shot.flatMap(StudioShot.init(code:))) { .p(.class("shot hint"), .text($0.label)) },
                            .form(.method(.post), .action(SiteURL.order(.value(orderID), .favourite(.value(item.assetID))).path), .class("favourite"),
                                Layout.csrfField(context.csrf),
                                .input(.type(.hidden), .name("favourite"), .value(item.asset.favourite ? "0" : "1")),
                                .button(.type(.submit), .class(item.asset.favourite ? "star on" : "star"),
                                        .attribute(named: "aria-pressed", value: item.asset.favourite ? "true" : "false"),
                                        .text(item.asset.favourite ? "★ Favourite" : "☆ Mark as favourite"))
                            ),
                            .p(.a(.class("preview-link"), .href(SiteURL.order(.value(orderID), .preview(.value(item.assetID))).path), "Preview on a profile"),
                               .text(" · "),
                               .a(.class("report-link"), .href(SiteURL.contact.path(["order_id": orderID.uuidString.lowercased(), "about": name(item)])),
                                  "Report a problem")),
                            .p(.class("downloads"), .forEach(DownloadVariant.downloadable) { variant in
                                .a(.class("download download-\(variant.rawValue)"), .href((item.links[variant] ?? "") + "&dl=1"),
                                   .attribute(named: "download", value: variant.filename(preset: item.asset.preset, number: item.number)),
                                   .text(variant.label(width: item.asset.width, height: item.asset.height)))
                            })
                        )
                    }
                )
            ),
            .if(!shares.isEmpty, .section(.class("panel"), .id("live-shares"),
                .h2("Live share links"),
                .p("Anyone with one of these links can see that headshot until the link expires or you revoke it."),
                ShareList.render(order: orderID, csrf: context.csrf, shares: shares, fromGallery: true),
                .script(.src(SiteURL.asset(.script("share.js")).path), .attribute(named: "defer", value: "defer")))),
            .element(named: "dialog", nodes: [.id("lightbox"), .class("lightbox"), .attribute(named: "aria-label", value: "Headshot preview"),
                .img(.src(""), .alt("")),
                .p(.class("lightbox-caption")),
                .div(.class("lightbox-controls"),
                    .button(.type(.button), .class("lightbox-prev"), .attribute(named: "aria-label", value: "Previous headshot"), "←"),
                    .button(.type(.button), .class("lightbox-next"), .attribute(named: "aria-label", value: "Next headshot"), "→"),
                    .button(.type(.button), .class("lightbox-close"), .attribute(named: "aria-label", value: "Close"), "Close"))
            ]),
            .script(.src(SiteURL.asset(.script("gallery.js")).path), .attribute(named: "defer", value: "defer"))
        )
    }

    /// "100 headshots in 5 styles, each a different picture…" (the plan's promise, where the renderer planned them).
    static func summary(_ gallery: Gallery, styles: Int) -> String {
        let count = "\(gallery.items.count) headshots in \(styles) style\(styles == 1 ? "" : "s")"
        let planned = gallery.items.contains { $0.asset.shot != nil }
        return count + (planned ? ", each a different picture within its style: another of your photos or another framing." : ".")
    }

    static func name(_ item: Gallery.Item) -> String {
        "\(StylePreset(rawValue: item.asset.preset)?.name ?? item.asset.preset) \(item.number)"
    }
}
