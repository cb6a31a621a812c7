import Foundation
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The styles page shows a real render of each preset (the files exist and are JPEGs) and says
/// truthfully how headshots are made; the catalogue API gives the same images.
@Suite("Styles page") struct StylesPageTests {
    @Test func eachStyleIsShownOnARealRenderWithHowItIsMade() async throws {
        try await withTestApp { app, _ in
            let browser = Browser(app)
            let page = try await browser.request(.GET, "/styles")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("no generative AI") && html.contains("public-domain NASA portrait"))
            for preset in StylePreset.allCases {
                #expect(html.contains(#"src="\#(preset.exampleImage)""#), "\(preset) has no example")
                let image = try await browser.request(.GET, preset.exampleImage)
                #expect(image.status == .ok && image.headers.contentType == .jpeg)
                #expect(Array(image.body.readableBytesView.prefix(2)) == [0xFF, 0xD8])
                // Two more renders of the same portrait in the style, as one order varies it.
                for variant in preset.exampleVariants {
                    #expect(html.contains(#"src="\#(variant.path)""#), "\(preset) shows its variant \(variant.label)")
                    let file = try await browser.request(.GET, variant.path)
                    #expect(file.status == .ok && Array(file.body.readableBytesView.prefix(2)) == [0xFF, 0xD8], "\(variant.path)")
                }
            }
            let api = try await browser.request(.GET, "/api/v1/presets")
            #expect(api.body.string.contains(#""example_image":"\/images\/presets\/corporate-grey.jpg""#), "\(api.body.string.prefix(300))")
        }
    }
}
