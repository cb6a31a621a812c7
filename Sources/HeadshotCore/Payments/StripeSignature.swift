import Crypto
import Foundation

/// Stripe's webhook signature: header `Stripe-Signature: t=TIMESTAMP,v1=HEX[,v1=HEX…]` where each v1 is
/// HMAC-SHA256(secret, "TIMESTAMP.PAYLOAD"). The sandbox signs its webhooks the same way, so both
/// gateways share one verifier.
package enum StripeSignature {
    package static let headerName = "Stripe-Signature"
    /// Stripe's own default tolerance for the timestamp: older events are replays.
    package static let tolerance: TimeInterval = 300

    package static func header(payload: [UInt8], secret: String, timestamp: Int) -> String {
        "t=\(timestamp),v1=\(mac(payload: payload, secret: secret, timestamp: timestamp))"
    }

    package static func verify(payload: [UInt8], header: String?, secret: String, now: Date) throws {
        guard let header, !header.isEmpty else { throw WebhookError.missingSignature }
        var timestamp: Int?
        var signatures: [String] = []
        for item in header.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, !signatures.isEmpty else { throw WebhookError.invalidSignature }
        let expected = Array(mac(payload: payload, secret: secret, timestamp: timestamp).utf8)
        // Compared in constant time, every candidate, so timing says nothing about the secret.
        let matched = signatures.reduce(false) { found, candidate in Array(candidate.utf8).isConstantTimeEqual(to: expected) || found }
        guard matched else { throw WebhookError.invalidSignature }
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { throw WebhookError.staleTimestamp }
    }

    private static func mac(payload: [UInt8], secret: String, timestamp: Int) -> String {
        let signed = Array("\(timestamp).".utf8) + payload
        let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }
}

/// Parses Stripe's event JSON (the sandbox emits the same shape).
package enum StripeEventParser {
    package static func parse(_ payload: [UInt8]) throws -> PaymentEvent {
        guard let json = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
              let id = json["id"] as? String, let type = json["type"] as? String,
              let object = (json["data"] as? [String: Any])?["object"] as? [String: Any]
        else { throw WebhookError.malformed("not a Stripe event") }
        var event = PaymentEvent(id: id, kind: .ignored(type))
        switch type {
        case "checkout.session.completed":
            event.kind = .checkoutCompleted(paid: (object["payment_status"] as? String) == "paid")
        case "checkout.session.async_payment_succeeded":
            event.kind = .asyncPaymentSucceeded
        case "checkout.session.async_payment_failed":
            event.kind = .asyncPaymentFailed
        case "charge.refunded":
            event.kind = .refunded
            event.paymentReference = object["payment_intent"] as? String
            event.amountMinor = object["amount_refunded"] as? Int
            event.currency = (object["currency"] as? String)?.uppercased()
            return event
        default:
            return event
        }
        event.checkoutID = object["id"] as? String
        event.orderID = (object["client_reference_id"] as? String).flatMap(UUID.init(uuidString:))
        event.amountMinor = object["amount_total"] as? Int
        event.currency = (object["currency"] as? String)?.uppercased()
        event.paymentReference = object["payment_intent"] as? String
        return event
    }
}
