import Foundation
import FluentKit

/// `order_deliveries`: one row per order, written the first time any of its headshots left the service
/// at more than thumbnail size, whatever the channel (`HeadshotDelivery`). The refund policy reads it.
package struct CreateOrderDelivery: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(HeadshotDelivery.schema)
            .field("order_id", .uuid, .identifier(auto: false))
            .field("first_at", .datetime, .required)
            .field("channel", .string, .required)
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(HeadshotDelivery.schema).delete()
    }
}
