import FluentKit
import Foundation

/// What every remote job of the process shares: the client, the preset file, and the cap on
/// predictions in flight at the provider (`max_concurrent`).
package final class RemoteProvider: Sendable {
    package let client: PredictionsClient
    package let settings: RemoteSettings
    /// Where the provider sends its webhooks; nil without `REMOTE_WEBHOOK_SECRET` (then every prediction is polled).
    package let webhookURL: URL?
    package let slots: AsyncMutex

    package var presets: RemotePresets { settings.presets }

    package init(client: PredictionsClient, settings: RemoteSettings, webhookURL: URL?) {
        self.client = client
        self.settings = settings
        self.webhookURL = webhookURL
        slots = AsyncMutex(permits: settings.presets.maxConcurrent)
    }

    /// Cancels, at the provider, every prediction of the order that has not finished (a refund, a
    /// cancellation or a deletion): the GPU stops and the provider bills no more. Returns how many.
    @discardableResult
    package func cancelOpen(orderID: UUID, on db: any Database, now: Date) async -> Int {
        guard let open = try? await RemotePrediction.query(on: db).filter(\.$orderID == orderID)
            .filter(\.$status ~~ [Prediction.Status.starting.rawValue, Prediction.Status.processing.rawValue]).all()
        else { return 0 }
        var cancelled = 0
        for record in open {
            do {
                try await client.cancel(record.reference)
                record.status = Prediction.Status.canceled.rawValue
                record.completedAt = now
                try await record.save(on: db)
                cancelled += 1
            } catch {
                // Already finished at the provider, or unreachable: its deadline (Cancel-After) ends it there.
                continue
            }
        }
        return cancelled
    }
}

extension RemotePrediction {
    /// The job's headshot numbers it serves.
    package var indexList: [Int] { indices.split(separator: ",").compactMap { Int($0) } }
    /// Its outputs (URLs or data URIs), once it succeeded.
    package var outputList: [String] { outputs.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? [] }
    /// What the client needs to read or cancel it.
    package var reference: Prediction { Prediction(id: providerID, status: Prediction.Status(rawValue: status) ?? .starting, getURL: getURL, cancelURL: cancelURL) }
}
