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
enum SeatPricing {
    struct Tier: Equatable, Sendable {
        let minimumSeats: Int
        let discountPercent: Int
    }

    /// Largest first: the first tier a purchase reaches is its discount.
    static let tiers = [Tier(minimumSeats: 10, discountPercent: 20), Tier(minimumSeats: 5, discountPercent: 10), Tier(minimumSeats: 1, discountPercent: 0)]
    /// A purchase buys at most this many seats (larger teams buy again).
    static let maximumSeats = 500

    struct Quote: Equatable, Sendable {
        let seats: Int
        let discountPercent: Int
        let seatPriceMinor: Int
        let totalMinor: Int
        let currency: String
        let listPriceMinor: Int
        /// What the discount saves on the whole purchase.
        var savedMinor: Int { seats * listPriceMinor - totalMinor }
    }

    enum Problem: Error, Equatable {
        case seats(Int)
        case price(Int)
    }

    static func discountPercent(seats: Int) -> Int {
        tiers.first { seats >= $0.minimumSeats }?.discountPercent ?? 0
    }

    /// What `seats` seats of a package listed at `priceMinor` cost.
    static func quote(seats: Int, priceMinor: Int, currency: String) throws(Problem) -> Quote {
        guard (1...maximumSeats).contains(seats) else { throw .seats(seats) }
        guard priceMinor >= 0 else { throw .price(priceMinor) }
        let percent = discountPercent(seats: seats)
        // Half up, in integers: (price × (100 − d) + 50) / 100.
        let seatPrice = (priceMinor * (100 - percent) + 50) / 100
        return Quote(seats: seats, discountPercent: percent, seatPriceMinor: seatPrice, totalMinor: seatPrice * seats, currency: currency,
                     listPriceMinor: priceMinor)
    }

    /// A team's seats at one moment.
    struct Ledger: Equatable, Sendable {
        let purchased: Int
        /// Held by pending invitations.
        let reserved: Int
        /// Spent by members' submitted orders.
        let used: Int

        var free: Int { max(purchased - reserved - used, 0) }
        /// Whether one more seat can be reserved or spent.
        var hasFree: Bool { free > 0 }
        /// How many seats a refund of a purchase of `seats` may take back: only free ones.
        func refundable(ofPurchase seats: Int) -> Int { min(seats, free) }
    }
}
