import Foundation
import FluentKit

/// The remote provider's webhooks already processed, by `webhook-id` (each is processed once).
package struct CreateRemoteWebhookDelivery: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(RemoteWebhookDelivery.schema)
            .id()
            .field("webhook_id", .string, .required)
            .field("provider_id", .string, .required)
            .field("received_at", .datetime, .required)
            .unique(on: "webhook_id")
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(RemoteWebhookDelivery.schema).delete()
    }
}
