import HeadshotCore
import Plot

/// "What makes a good selfie", drawn as simple line illustrations (static SVG, no stock photos).
enum UploadGuidance {
    private struct Tip {
        let good: Bool
        let caption: String
        let drawing: String
    }

    // Each drawing is a 64×64 head-and-shoulders outline with one thing changed.
    private static let head = #"<circle cx="32" cy="26" r="12" fill="none" stroke="currentColor" stroke-width="2.5"/><path d="M12 60c2-12 10-18 20-18s18 6 20 18" fill="none" stroke="currentColor" stroke-width="2.5"/>"#
    private static let tips: [Tip] = [
        Tip(good: true, caption: "Just you, facing the camera", drawing: head + #"<circle cx="27" cy="25" r="1.6" fill="currentColor"/><circle cx="37" cy="25" r="1.6" fill="currentColor"/><path d="M27 31q5 4 10 0" fill="none" stroke="currentColor" stroke-width="2"/>"#),
        Tip(good: true, caption: "Soft, even light on your face", drawing: head + #"<circle cx="54" cy="10" r="5" fill="none" stroke="currentColor" stroke-width="2"/><path d="M54 1v3M54 16v3M45 10h3M60 10h3" stroke="currentColor" stroke-width="2"/>"#),
        Tip(good: true, caption: "Different places, outfits and days", drawing: head + #"<rect x="2" y="4" width="14" height="10" rx="2" fill="none" stroke="currentColor" stroke-width="2"/><rect x="48" y="4" width="14" height="10" rx="2" fill="none" stroke="currentColor" stroke-width="2"/>"#),
        Tip(good: false, caption: "No sunglasses or hats", drawing: head + #"<rect x="21" y="21" width="9" height="6" rx="2" fill="currentColor"/><rect x="34" y="21" width="9" height="6" rx="2" fill="currentColor"/><path d="M16 16h32M22 16l3-9h14l3 9" fill="none" stroke="currentColor" stroke-width="2.5"/>"#),
        Tip(good: false, caption: "No group photos", drawing: #"<circle cx="20" cy="26" r="9" fill="none" stroke="currentColor" stroke-width="2.5"/><circle cx="44" cy="26" r="9" fill="none" stroke="currentColor" stroke-width="2.5"/><path d="M4 60c1-10 7-15 16-15s15 5 16 15M28 60c1-10 7-15 16-15s15 5 16 15" fill="none" stroke="currentColor" stroke-width="2.5"/>"#),
        Tip(good: false, caption: "Not too dark, not cut off", drawing: #"<rect x="0" y="0" width="64" height="64" fill="currentColor" opacity=".35"/>"# + head),
    ]

    static func render() -> Node<HTML.BodyContext> {
        .ul(.class("guidance"), .attribute(named: "aria-label", value: "What makes a good selfie"),
            .forEach(tips) { tip in
                .li(.class(tip.good ? "do" : "dont"),
                    .raw(#"<svg viewBox="0 0 64 64" width="64" height="64" aria-hidden="true" focusable="false">"# + tip.drawing + "</svg>"),
                    .span(.class("mark"), .text(tip.good ? "Do" : "Don't")),
                    .span(.text(tip.caption))
                )
            }
        )
    }
}
