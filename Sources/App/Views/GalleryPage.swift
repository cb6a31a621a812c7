import Foundation
import HeadshotCore
import Imaging
import Plot
import SiteRoutes
import Vapor

/// A completed order's headshots: a lazy-loaded grid filtered by style, each with its downloads,
/// and when the headshots will be deleted.
enum GalleryPage {
    /// `filter` is a preset code, "favourites", or nil for all.
    static func render(_ viewer: Viewer, order: Order, gallery: Gallery, filter: String?,
                       shares: [(asset: UUID, name: String?, share: ShareLinkDTO)] = [],
                       reruns: (standing: Reruns.Standing, selfiesUntil: Date?)? = nil) throws -> Response {
        let orderID = try order.requireID()
        let galleryPath = SiteURL.order(.value(orderID), .gallery)
        let context = PageContext(viewer, title: "Your headshots")
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
                            .p(.class("caption"), .text(name(item)), .if(item.remade, .span(.class("badge remade"), " Re-made")),
                               .if(item.asset.origin == .diffusion, .span(.class("badge ai"), .title("Made by a diffusion model on a GPU provider from your photos"), " AI-generated"))),
                            .if(reruns?.standing.canStart == true,
                                .p(.class("rerun-pick"), .label(
                                    .input(.type(.checkbox), .name("headshot_ids[]"), .value(item.id), .attribute(named: "form", value: "rerun-chosen-form")),
                                    " Re-make this one"))),
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
                               .a(.class("report-link"), .href(SiteURL.contact.path(["order_id": orderID.uuidString.lowercased(), "about": name(item), "headshot_id": item.id])),
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
            .unwrap(reruns) { rerunSection(order: order, styles: presets, standing: $0.standing, selfiesUntil: $0.selfiesUntil, csrf: context.csrf) },
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

    /// Re-runs: the credits left, until when they are possible, and the two ways to spend one.
    static func rerunSection(order: Order, styles: [StylePreset], standing: Reruns.Standing, selfiesUntil: Date?, csrf: String) -> Node<HTML.BodyContext> {
        guard let orderID = order.id else { return .empty }
        let action = SiteURL.order(.value(orderID), .reruns).path
        let credits = "\(standing.credits) re-run credit\(standing.credits == 1 ? "" : "s")"
        return .section(.class("panel"), .id("reruns"),
            .h2("Re-make headshots"),
            .p(.id("rerun-credits"), .text("You have \(credits) left for this order. A re-run makes one style, or the headshots you tick, again from your selfies, as pictures you have not seen yet; the ones you have stay in your gallery.")),
            .if(!standing.selfiesKept, .p(.id("rerun-closed"), "Your selfies have been deleted, so headshots can no longer be re-made.")),
            .if(standing.selfiesKept, .unwrap(selfiesUntil) { .p(.id("rerun-until"), .text("Possible until \(DateText.long($0)), when your selfies are deleted.")) }),
            .unwrap(standing.running) { _ in
                .p(.id("rerun-running"), "A re-run is under way. ", .a(.href(SiteURL.order(.value(orderID), nil).path), "Follow it on your order page"))
            },
            .if(standing.credits == 0 && standing.selfiesKept,
                .p(.id("rerun-none"), "No re-run credits left. If a headshot has a problem, ",
                   .a(.href(SiteURL.contact.path(["order_id": orderID.uuidString.lowercased()])), "report it"), " and support will look at it.")),
            .if(standing.canStart, .group(
                .form(.method(.post), .action(action), .id("rerun-style-form"), .class("inline-form"),
                    Layout.csrfField(csrf),
                    .label(.for("rerun-style"), "Style "),
                    .element(named: "select", nodes: [.id("rerun-style"), .attribute(named: "name", value: "style")] + styles.map { style in
                        .element(named: "option", nodes: [.attribute(named: "value", value: style.rawValue), .text(style.name)])
                    }),
                    .text(" "),
                    .button(.type(.submit), .class("button secondary"), .id("rerun-style-button"), "Re-make this style (1 credit)")),
                .form(.method(.post), .action(action), .id("rerun-chosen-form"),
                    Layout.csrfField(csrf),
                    .button(.type(.submit), .class("button secondary"), .id("rerun-chosen-button"), "Re-make the ones I ticked (1 credit)"))
            ))
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
