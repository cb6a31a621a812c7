import Foundation
import Vapor

/// A payment provider behind one protocol: the built-in sandbox (default, no account needed) and
/// Stripe. The server never trusts the browser about money: what is charged comes from the order,
/// and only a verified webhook grants anything.
public protocol PaymentGateway: Sendable {
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

public struct CheckoutRequest: Sendable {
    public var orderID: UUID
    public var amountMinor: Int
    public var currency: String
    public var description: String
    public var customerEmail: String
    public var successURL: String
    public var cancelURL: String
    public var idempotencyKey: String
}

public struct CheckoutSession: Sendable, Equatable {
    public var id: String
    public var url: String
}

public struct RefundCall: Sendable {
    public var paymentReference: String
    public var amountMinor: Int
    public var idempotencyKey: String
}

/// A provider event, reduced to what fulfilment needs.
public struct PaymentEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The checkout finished; `paid` is false while an asynchronous method (a bank debit) is pending.
        case checkoutCompleted(paid: Bool)
        case asyncPaymentSucceeded
        case asyncPaymentFailed
        case refunded
        /// A type we do not act on; acknowledged so the provider stops sending it.
        case ignored(String)
    }

    public var id: String
    public var kind: Kind
    public var checkoutID: String?
    public var orderID: UUID?
    public var amountMinor: Int?
    public var currency: String?
    public var paymentReference: String?
}

public enum WebhookError: Error, Equatable {
    case missingSignature
    case invalidSignature
    case staleTimestamp
    case malformed(String)
}
