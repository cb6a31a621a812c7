import Foundation

/// Why an order's remote styles were (partly) made by the studio renderer (`Order.studioFallback`).
package enum OrderFallback {
    /// The provider failed repeatedly: the breaker sent the rest of the job to the studio renderer.
    package static let breaker = "breaker"
    /// The model's outputs kept failing our checks (quality, identity, twins) for some headshots.
    package static let discarded = "discarded"
    /// The team's backdrop colour could not be given to the GPU model, so the studio renderer drew those styles.
    package static let backdrop = "backdrop"

    package static func sentence(_ code: String?) -> String? {
        switch code {
        case breaker?: "Our GPU provider failed repeatedly while your headshots were being made, so the rest were made by our studio renderer from your own photos instead (the gallery marks which)."
        case discarded?: "For some headshots the GPU model's pictures did not pass our checks (quality, or not looking enough like you) after several tries, so our studio renderer made those from your own photos instead (the gallery marks which)."
        case backdrop?: "Your team's backdrop colour can only be drawn by our studio renderer here, so the styles our GPU model would have made were made by the studio renderer from your own photos, in the team's colour (the gallery marks which)."
        default: nil
        }
    }
}
