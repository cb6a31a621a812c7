import HeadshotCore
import Vapor

/// A refund request as the API shows it.
struct RefundDTO: Content {
    let id: UUID
    let orderID: UUID
    let status: String
    let amountMinor: Int
    let currency: String
    let reason: String
    let gatewayRefundID: String?

    init(_ refund: RefundRequest) throws {
        id = try refund.requireID()
        orderID = refund.$order.id
        status = refund.status.rawValue
        amountMinor = refund.amountMinor
        currency = refund.currency
        reason = refund.reason
        gatewayRefundID = refund.gatewayRefundID
    }
}
