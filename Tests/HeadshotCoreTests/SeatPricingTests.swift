import Testing
import HeadshotTestSupport
@testable import HeadshotCore

/// Seat prices and seat counts, worked out in one place (`SeatPricing`), table by table.
@Suite("Seat pricing and the seat ledger") struct SeatPricingTests {
    struct PriceCase: Sendable, CustomTestStringConvertible {
        let seats: Int, list: Int, percent: Int, seat: Int, total: Int
        var testDescription: String { "\(seats) seats at \(list)" }
    }

    @Test(arguments: [
        // Basic at $29 and Professional at $49 (minor units), across every tier's edges.
        PriceCase(seats: 1, list: 2900, percent: 0, seat: 2900, total: 2900),
        PriceCase(seats: 4, list: 2900, percent: 0, seat: 2900, total: 11600),
        PriceCase(seats: 5, list: 2900, percent: 10, seat: 2610, total: 13050),
        PriceCase(seats: 9, list: 4900, percent: 10, seat: 4410, total: 39690),
        PriceCase(seats: 10, list: 4900, percent: 20, seat: 3920, total: 39200),
        PriceCase(seats: 500, list: 4900, percent: 20, seat: 3920, total: 1_960_000),
        // Rounding: half up to the minor unit, then the same seat price times the seats.
        PriceCase(seats: 5, list: 1995, percent: 10, seat: 1796, total: 8980),
        PriceCase(seats: 12, list: 999, percent: 20, seat: 799, total: 9588),
        PriceCase(seats: 6, list: 5, percent: 10, seat: 5, total: 30),
        PriceCase(seats: 3, list: 0, percent: 0, seat: 0, total: 0),
    ])
    func aPurchaseCostsItsSeatPriceAfterTheVolumeDiscountTimesItsSeats(_ row: PriceCase) throws {
        let quote = try SeatPricing.quote(seats: row.seats, priceMinor: row.list, currency: "USD")
        #expect(quote.discountPercent == row.percent && quote.seatPriceMinor == row.seat && quote.totalMinor == row.total)
        #expect(quote.savedMinor == row.seats * row.list - row.total)
    }

    @Test(arguments: [0, -1, 501])
    func aPurchaseOutsideOneTo500SeatsIsRefused(_ seats: Int) {
        #expect(throws: SeatPricing.Problem.seats(seats)) { try SeatPricing.quote(seats: seats, priceMinor: 2900, currency: "USD") }
    }

    @Test func aNegativePriceIsRefused() {
        #expect(throws: SeatPricing.Problem.price(-1)) { try SeatPricing.quote(seats: 2, priceMinor: -1, currency: "USD") }
    }

    struct LedgerCase: Sendable, CustomTestStringConvertible {
        let purchased: Int, reserved: Int, used: Int, free: Int, refundableOf5: Int
        var testDescription: String { "\(purchased) bought, \(reserved) reserved, \(used) used" }
    }

    @Test(arguments: [
        LedgerCase(purchased: 5, reserved: 0, used: 0, free: 5, refundableOf5: 5),
        LedgerCase(purchased: 5, reserved: 2, used: 1, free: 2, refundableOf5: 2),
        LedgerCase(purchased: 5, reserved: 0, used: 5, free: 0, refundableOf5: 0),
        LedgerCase(purchased: 8, reserved: 3, used: 0, free: 5, refundableOf5: 5),
        // More held than bought (a refund after invitations went out) never reads as negative.
        LedgerCase(purchased: 2, reserved: 3, used: 1, free: 0, refundableOf5: 0),
    ])
    func freeSeatsAreThoseBoughtLessReservedAndUsedAndOnlyFreeOnesAreRefundable(_ row: LedgerCase) {
        let ledger = SeatPricing.Ledger(purchased: row.purchased, reserved: row.reserved, used: row.used)
        #expect(ledger.free == row.free && ledger.hasFree == (row.free > 0))
        #expect(ledger.refundable(ofPurchase: 5) == row.refundableOf5)
    }
}
