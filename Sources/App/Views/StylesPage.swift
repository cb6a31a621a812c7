import HeadshotCore
import Plot
import Vapor

/// The five styles, each shown on a real render by the studio renderer, with how the images are made.
enum StylesPage {
    /// `remoteStyles` are the presets a GPU model makes in this install (none by default).
    static func render(_ viewer: Viewer, generator: String?, remoteStyles: [String] = []) -> Response {
        let context = PageContext(viewer, title: "Styles")
        return Layout.page(context,
            .section(.class("panel"),
                .h1("Styles"),
                .p(.text(StylePreset.exampleCredit)),
                .p(.class("hint"), "Each style is shown as one order varies it: the same portrait in other framings, with the light from another side and the backdrop changed."),
                .ul(.class("styles-grid"),
                    .forEach(StylePreset.allCases) { preset in
                        .li(.class("style"), .id("style-\(preset.rawValue)"),
                            .img(.src(preset.exampleImage), .alt("\(preset.name): \(preset.summary)"),
                                 .attribute(named: "width", value: "320"), .attribute(named: "height", value: "400"),
                                 .attribute(named: "loading", value: "lazy")),
                            .div(.class("style-variants"),
                                .forEach(preset.exampleVariants) { variant in
                                    .img(.src(variant.path), .alt("\(preset.name), \(variant.label.lowercased())"), .attribute(named: "title", value: variant.label),
                                         .attribute(named: "width", value: "120"), .attribute(named: "height", value: "150"),
                                         .attribute(named: "loading", value: "lazy"))
                                }
                            ),
                            .h2(.text(preset.name)),
                            .p(.text(preset.summary)),
                            .if(remoteStyles.contains(preset.rawValue),
                                .p(.class("badge ai"), .id("remote-\(preset.rawValue)"),
                                   "Here this style is AI-generated: a diffusion model on a GPU provider makes new pictures of you from your photos. The examples show the studio renderer's version."))
                        )
                    }
                )
            ),
            .section(.class("honesty"), .id("how-made"),
                .h2("How the images are made"),
                .p(.text(generator ?? "Headshots are made by our studio renderer from your own photos.")),
                .p("Every headshot is checked before you see it: it must pass the same quality checks as your uploads, and its face must measure as you against your own photos. Each file says how it was made in its metadata (IPTC Digital Source Type).")
            )
        )
    }
}
