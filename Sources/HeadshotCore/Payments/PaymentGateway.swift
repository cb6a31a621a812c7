import Foundation
import NIOHTTP1

/// A payment provider behind one protocol: the built-in sandbox (default, no account needed) and
/// Stripe. The server never trusts the browser about money: what is charged comes from the order,
/// and only a verified webhook grants anything.
package protocol PaymentGateway: Sendable {
    /// "sandbox" or "stripe": also the last path component of its webhook URL.
    var name: String { get }

    /// Starts a hosted checkout for exactly this amount; the idempotency key makes a retried call
    /// return the same session instead of a second one.
    func createCheckout(_ request: CheckoutRequest) async throws -> CheckoutSession

    /// Verifies the signature and freshness of a webhook and parses it. Throws `WebhookError`.
    func verifyWebhook(payload: [UInt8], headers: HTTPHeaders, now: Date) throws -> PaymentEvent

    func refund(_ request: RefundCall) async throws -> String

    /// Closes an open checkout session so it can no longer be paid (the customer started another).
    /// A session already paid or expired is left as it is.
    func expireCheckout(_ reference: String) async throws
}

package struct CheckoutRequest: Sendable {
    package var orderID: UUID
    package var amountMinor: Int
    package var currency: String
    package var description: String
    package var customerEmail: String
    package var successURL: String
    package var cancelURL: String
    package var idempotencyKey: String
}

package struct CheckoutSession: Sendable, Equatable {
    package var id: String
    package var url: String
}

package struct RefundCall: Sendable {
    package var paymentReference: String
    package var amountMinor: Int
    package var idempotencyKey: String
}

/// A provider event, reduced to what fulfilment needs.
package struct PaymentEvent: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// The checkout finished; `paid` is false while an asynchronous method (a bank debit) is pending.
        case checkoutCompleted(paid: Bool)
        case asyncPaymentSucceeded
        case asyncPaymentFailed
        case refunded
        /// A type we do not act on; acknowledged so the provider stops sending it.
        case ignored(String)
    }

    package var id: String
    package var kind: Kind
    package var checkoutID: String?
    package var orderID: UUID?
    package var amountMinor: Int?
    package var currency: String?
    package var paymentReference: String?
}

package enum WebhookError: Error, Equatable {
    case missingSignature
    case invalidSignature
    case staleTimestamp
    case malformed(String)
}
