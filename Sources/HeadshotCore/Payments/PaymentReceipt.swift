import FluentKit
import Foundation
import Mail
import SiteRoutes

/// The receipt of a paid order: the same lines in the email sent when the payment is confirmed and
/// on the order's printable receipt page (`/orders/{id}/receipt`).
package struct PaymentReceipt {
    package let lines: [(label: String, value: String)]
    package let orderID: UUID

    /// The receipt of `order` as paid (nil when it has not been paid).
    package static func of(_ order: Order, on db: any Database) async throws -> PaymentReceipt? {
        guard let reference = order.paymentReference, let amount = order.amountMinor, let currency = order.currency,
              let package = try await order.$package.get(on: db) else { return nil }
        let paidAt = try await AuditEvent.query(on: db).filter(\.$subjectID == order.requireID()).filter(\.$toState == OrderStatus.paid.rawValue)
            .sort(\.$createdAt).first()?.createdAt
        let styles = (order.presets ?? "").split(separator: ",").compactMap { StylePreset(rawValue: String($0))?.name }
        return PaymentReceipt(lines: [
            ("Order", try order.requireID().uuidString.lowercased()),
            ("Date", paidAt.map(DateText.short) ?? "—"),
            ("Package", "\(package.name): \(order.headshotCount ?? package.headshotCount) headshots"),
            ("Styles", styles.joined(separator: ", ")),
            ("Amount paid", Money.format(minor: amount, currency: currency)),
            ("Payment reference", reference),
        ], orderID: try order.requireID())
    }

    package func mail(to recipient: String, baseURL: URL) -> MailMessage {
        let amount = lines.first { $0.label == "Amount paid" }?.value ?? ""
        return MailMessage(to: recipient, subject: "Your receipt from Headshot Studio (\(amount))", text: """
            Thank you: your payment is confirmed and your headshots are being made.

            \(lines.map { "\($0.label): \($0.value)" }.joined(separator: "\n"))

            Follow your order: \(SiteURL.order(.value(orderID), nil).absolute(on: baseURL))
            Printable receipt: \(SiteURL.order(.value(orderID), .receipt).absolute(on: baseURL))
            """)
    }
}
