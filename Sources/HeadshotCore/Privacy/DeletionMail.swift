import Foundation
import Mail
import SiteRoutes

/// The confirmation a completed deletion sends: the receipt in words, nothing personal.
package enum DeletionMail {
    package static func completed(_ receipt: DeletionReceipt, to recipient: String, baseURL: URL) -> MailMessage {
        let what = switch receipt.scope {
        case .selfies: "the selfies of one order (the photos, their thumbnails and face data)"
        case .order: "one order: its selfies, headshots, share links and download records"
        case .account: "your Headshot Studio account and everything in it"
        }
        let blobs = receipt.blobs.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value.count) files, \($0.value.bytes) bytes" }
        let records = receipt.records.sorted { $0.key < $1.key }.map { "  \($0.key.replacingOccurrences(of: "_", with: " ")): \($0.value)" }
        let link = SiteURL.deletion(.value(receipt.requestID), nil).absolute(on: baseURL)
        return MailMessage(to: recipient, subject: "Your data was deleted (receipt \(receipt.receiptID.uuidString.lowercased().prefix(8)))", text: """
            We deleted \(what), as you asked.

            Receipt: \(receipt.receiptID.uuidString.lowercased())
            Requested: \(DateText.short(receipt.requestedAt))
            Completed: \(DateText.short(receipt.completedAt))
            \(receipt.keyDestroyedAt.map { "Encryption keys destroyed: \(DateText.short($0)) (copies anywhere, backups included, can no longer be read)" } ?? "Files deleted one by one (the order's headshots keep their key)")

            Files deleted:
            \(blobs.joined(separator: "\n"))
            Records deleted:
            \(records.joined(separator: "\n"))
            SHA-256 of the list of deleted files: \(receipt.blobKeysSHA256)

            The receipt, also as JSON: \(link)
            It opens with the receipt code you were shown when you asked (keep it: we do not store it).
            """)
    }
}
