import Fluent
import Foundation

/// Checkout sessions with what each sells; orders already awaiting payment get a record of their
/// current session, so a payment that arrives for it after the upgrade is still recognised.
struct CreateCheckoutSessionRecord: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CheckoutSessionRecord.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id", onDelete: .cascade))
            .field("gateway", .string, .required)
            .field("reference", .string, .required)
            .field("package_id", .uuid, .required)
            .field("amount_minor", .int, .required)
            .field("currency", .string, .required)
            .field("headshot_count", .int, .required)
            .field("presets", .string)
            .field("created_at", .datetime, .required)
            .field("superseded_at", .datetime)
            .unique(on: "gateway", "reference")
            .create()
        try await database.createIndex("idx_checkout_sessions_order", on: CheckoutSessionRecord.schema, "order_id")
        for order in try await Order.query(on: database).filter(\.$checkoutReference != nil).all() {
            guard let reference = order.checkoutReference, let gateway = order.paymentGateway, order.$package.id != nil else { continue }
            try await CheckoutSessionRecord(order: order, gateway: gateway, reference: reference, at: order.consentedAt ?? Date())
                .create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CheckoutSessionRecord.schema).delete()
    }
}
