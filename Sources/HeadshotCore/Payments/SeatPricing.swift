import Foundation

/// The one place seat prices and seat counts are worked out, for the team checkout, its pages, the
/// API and the webhook that creates the seats.
///
/// Price: a seat costs its package's price less the volume discount of the whole purchase's size
/// (1–4 seats none, 5–9 10 %, 10 or more 20 %), rounded to the nearest minor unit (half up); the
/// purchase costs that times the seats, so every seat of one purchase costs the same and the total
/// is a whole number of seat prices.
///
/// Seats: a team's seats are those its purchases bought (less any refunded); each is free, reserved
/// by a pending invitation, or used by a member's submitted order. A refund of a purchase takes back
/// only seats that are free.
package enum SeatPricing {
    package struct Tier: Equatable, Sendable {
        package let minimumSeats: Int
        package let discountPercent: Int
    }

    /// Largest first: the first tier a purchase reaches is its discount.
    package static let tiers = [Tier(minimumSeats: 10, discountPercent: 20), Tier(minimumSeats: 5, discountPercent: 10), Tier(minimumSeats: 1, discountPercent: 0)]
    /// A purchase buys at most this many seats (larger teams buy again).
    package static let maximumSeats = 500

    package struct Quote: Equatable, Sendable {
        package let seats: Int
        package let discountPercent: Int
        package let seatPriceMinor: Int
        package let totalMinor: Int
        package let currency: String
        package let listPriceMinor: Int
        /// What the discount saves on the whole purchase.
        package var savedMinor: Int { seats * listPriceMinor - totalMinor }
    }

    package enum Problem: Error, Equatable {
        case seats(Int)
        case price(Int)
    }

    package static func discountPercent(seats: Int) -> Int {
        tiers.first { seats >= $0.minimumSeats }?.discountPercent ?? 0
    }

    /// What `seats` seats of a package listed at `priceMinor` cost.
    package static func quote(seats: Int, priceMinor: Int, currency: String) throws(Problem) -> Quote {
        guard (1...maximumSeats).contains(seats) else { throw .seats(seats) }
        guard priceMinor >= 0 else { throw .price(priceMinor) }
        let percent = discountPercent(seats: seats)
        // Half up, in integers: (price × (100 − d) + 50) / 100.
        let seatPrice = (priceMinor * (100 - percent) + 50) / 100
        return Quote(seats: seats, discountPercent: percent, seatPriceMinor: seatPrice, totalMinor: seatPrice * seats, currency: currency,
                     listPriceMinor: priceMinor)
    }

    /// A team's seats at one moment.
    package struct Ledger: Equatable, Sendable {
        package let purchased: Int
        /// Held by pending invitations.
        package let reserved: Int
        /// Spent by members' submitted orders.
        package let used: Int

        package var free: Int { max(purchased - reserved - used, 0) }
        /// Whether one more seat can be reserved or spent.
        package var hasFree: Bool { free > 0 }
        /// How many seats a refund of a purchase of `seats` may take back: only free ones.
        package func refundable(ofPurchase seats: Int) -> Int { min(seats, free) }
    }
}
