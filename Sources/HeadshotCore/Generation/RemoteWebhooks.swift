import FluentKit
import Foundation

/// The provider's webhooks (`POST /webhooks/remote`): verified as Standard Webhooks, each
/// `webhook-id` processed once, and a prediction's record moved only forward (a late "processing"
/// after "succeeded" changes nothing). The generator waits on the record, and reads the prediction
/// from the provider itself when no webhook comes in time, so a lost webhook only costs time.
package struct RemoteWebhooks {
    package enum Outcome: String {
        case updated, duplicate, unchanged, unknown
    }

    package let db: any Database
    package let secret: String
    package let now: Date

    package init(db: any Database, secret: String, now: Date) {
        self.db = db
        self.secret = secret
        self.now = now
    }

    /// Verifies and applies one call. Throws `StandardWebhook.Problem` when it is not verified (nothing is written then).
    package func receive(id: String?, timestamp: String?, signature: String?, body: [UInt8]) async throws -> Outcome {
        let webhookID = try StandardWebhook.verify(id: id, timestamp: timestamp, signature: signature, body: body, secret: secret, now: now)
        let prediction = try Prediction(json: body)
        do {
            return try await db.transaction { tx -> Outcome in
                try await RemoteWebhookDelivery(webhookID: webhookID, providerID: prediction.id, at: now).create(on: tx)
                guard let record = try await RemotePrediction.query(on: tx).filter(\.$providerID == prediction.id).first() else { return .unknown }
                return try await Self.apply(prediction, to: record, at: now, on: tx) ? .updated : .unchanged
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return .duplicate
        }
    }

    /// Moves the record to what the provider says, if that is further along; true if it changed.
    /// `saving: false` only changes the record (one not yet created).
    package static func apply(_ prediction: Prediction, to record: RemotePrediction, at now: Date, on db: any Database, saving: Bool = true) async throws -> Bool {
        let rank: (String) -> Int = { status in
            switch Prediction.Status(rawValue: status) {
            case .starting: 0
            case .processing: 1
            case .some: 2
            case nil: 2
            }
        }
        guard !record.isFinal, rank(prediction.status.rawValue) > rank(record.status) else { return false }
        record.status = prediction.status.rawValue
        if prediction.status == .succeeded {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            record.outputs = String(decoding: try encoder.encode(prediction.output), as: UTF8.self)
        }
        record.error = prediction.error.map { String($0.prefix(1000)) }
        record.predictTime = prediction.predictTime ?? record.predictTime
        if prediction.status.isFinal { record.completedAt = now }
        if saving { try await record.save(on: db) }
        return true
    }
}
