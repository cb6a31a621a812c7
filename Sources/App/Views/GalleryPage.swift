import Foundation
import Plot
import Vapor

/// A completed order's headshots: a lazy-loaded grid filtered by style, each with its downloads,
/// and when the headshots will be deleted.
enum GalleryPage {
    static func render(_ req: Request, order: Order, gallery: Gallery, preset: String?) throws -> Response {
        let id = try order.requireID().uuidString.lowercased()
        let presets = StylePreset.list(Set(gallery.items.map(\.asset.preset)).sorted())
        let shown = gallery.items.filter { preset == nil || $0.asset.preset == preset }
        let date = DateFormatter()
        date.dateStyle = .long
        date.timeStyle = .none
        return Layout.page(PageContext(req, title: "Your headshots"),
            .section(.class("panel"), .id("gallery"),
                .h1("Your headshots"),
                .p(.id("gallery-summary"), .text("\(gallery.items.count) headshots in \(presets.count) style\(presets.count == 1 ? "" : "s").")),
                .unwrap(gallery.deleteAfter) { .p(.id("delete-after"), .text("They will be deleted on \(date.string(from: $0)); download the ones you want before then.")) },
                .p(.class("hint"), "Download links last 15 minutes and only work for you. ",
                   .a(.href("/orders/\(id)/gallery\(preset.map { "?preset=" + $0 } ?? "")"), "Refresh the links")),
                .nav(.class("filters"), .attribute(named: "aria-label", value: "Filter by style"),
                    .a(.href("/orders/\(id)/gallery"), .class(preset == nil ? "filter active" : "filter"), "All"),
                    .forEach(presets) { style in
                        .a(.href("/orders/\(id)/gallery?preset=\(style.rawValue)"), .class(preset == style.rawValue ? "filter active" : "filter"),
                           .text(style.name))
                    }
                ),
                .ul(.class("gallery-grid"),
                    .forEach(shown) { item in
                        .li(.class("headshot"), .id("headshot-\(item.id)"), .data(named: "preset", value: item.asset.preset),
                            .img(.src(item.links[.thumbnail] ?? ""), .alt("\(StylePreset(rawValue: item.asset.preset)?.name ?? item.asset.preset) headshot \(item.number)"),
                                 .attribute(named: "loading", value: "lazy"), .attribute(named: "width", value: "240"), .attribute(named: "height", value: "300")),
                            .p(.class("caption"), .text("\(StylePreset(rawValue: item.asset.preset)?.name ?? item.asset.preset) \(item.number)")),
                            .p(.class("downloads"), .forEach(DownloadVariant.downloadable) { variant in
                                .a(.class("download download-\(variant.rawValue)"), .href((item.links[variant] ?? "") + "&dl=1"),
                                   .attribute(named: "download", value: variant.filename(preset: item.asset.preset, number: item.number)),
                                   .text(variant.label))
                            })
                        )
                    }
                )
            )
        )
    }
}
