import Foundation
import FluentKit

/// The sandbox gateway's own state: its hosted checkouts and the webhooks it still has to deliver.
package struct CreateSandboxCheckout: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(SandboxCheckout.schema)
            .id()
            .field("reference", .string, .required)
            .field("idempotency_key", .string, .required)
            .field("order_id", .uuid, .required)
            .field("amount_minor", .int, .required)
            .field("currency", .string, .required)
            .field("description", .string, .required)
            .field("success_url", .string, .required)
            .field("cancel_url", .string, .required)
            .field("state", .string, .required)
            .field("payment_reference", .string)
            .field("refunded_minor", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "reference", name: "uq_sandbox_checkouts_reference")
            .unique(on: "idempotency_key", name: "uq_sandbox_checkouts_idempotency")
            .create()
        try await database.schema(SandboxWebhook.schema)
            .id()
            .field("payload", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("delivered_at", .datetime)
            .field("last_status", .int)
            .field("created_at", .datetime)
            .create()
        try await database.createIndex("idx_sandbox_webhooks_due", on: SandboxWebhook.schema, "delivered_at", "next_attempt_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(SandboxWebhook.schema).delete()
        try await database.schema(SandboxCheckout.schema).delete()
    }
}
