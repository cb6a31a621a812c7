import HeadshotCore
import Vapor

/// `POST /api/v1/deletion-requests`, and the confirmation form that posts to `/deletions`.
struct CreateDeletionRequestBody: Content {
    let scope: String
    let orderID: UUID?
    let password: String
}

/// A deletion request as the API shows it. `receipt_secret` only in the answer that created it.
struct DeletionRequestDTO: Content {
    let id: UUID
    let scope: String
    let orderID: UUID?
    let status: String
    /// A legal hold keeps the data for now; the deletion finishes once it is released.
    let onHold: Bool
    let requestedAt: Date?
    let completedAt: Date?
    let receiptID: UUID?
    let receiptSecret: String?

    init(_ request: DeletionRequest, onHold: Bool, secret: String? = nil) throws {
        id = try request.requireID()
        scope = request.scope.rawValue
        orderID = request.orderID
        status = request.status.rawValue
        self.onHold = onHold
        requestedAt = request.createdAt
        completedAt = request.completedAt
        receiptID = request.receiptID
        receiptSecret = secret
    }
}

extension DeletionReceipt: Content {}

/// A data export as the API shows it; `download_url` while it is ready and its 24-hour link lasts.
struct DataExportDTO: Content {
    let id: UUID
    let status: String
    let requestedAt: Date?
    let readyAt: Date?
    let expiresAt: Date?
    let downloadURL: String?

    init(_ export: DataExport, link: String?) throws {
        id = try export.requireID()
        status = export.status.rawValue
        requestedAt = export.createdAt
        readyAt = export.readyAt
        expiresAt = export.expiresAt
        downloadURL = link
    }
}
