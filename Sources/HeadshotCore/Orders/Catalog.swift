import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// What we sell and how fast we have actually delivered it.
package enum Catalog {
    /// The packages on sale, in their order: a prepared read (`PreparedRead`), as the landing page
    /// shows them on every view.
    package static func activePackages(on db: any Database) async throws -> [Package] {
        try await PreparedReads.rows(ActivePackages.self, [], on: db).map { try $0.decode(fluentModel: Package.self) }
    }

    /// Every package, on sale or not, in their order (the console's list).
    package static func allPackages(on db: any Database) async throws -> [Package] {
        try await Package.query(on: db).sort(\.$sortOrder).all()
    }

    private enum ActivePackages: PreparedRead {
        package static let name = "active_packages"
        package static let sql = #"SELECT * FROM "packages" WHERE "active" ORDER BY "sort_order""#
    }

    /// Median time from payment (the order's entitlement) to delivery over the last 50 completed orders.
    /// One prepared read of two columns: the landing page shows it on every view.
    package static func deliveryTimes(on db: any Database) async throws -> Turnaround {
        let rows = try await PreparedReads.rows(RecentDeliveries.self, [OrderStatus.completed.rawValue, Order.Kind.headshots.rawValue], on: db)
        let minutes = try rows.compactMap { row -> Double? in
            guard let paid = try row.decode(column: "paid_at", as: Date?.self) else { return nil }
            return try row.decode(column: "done_at", as: Date.self).timeIntervalSince(paid) / 60
        }.sorted()
        guard !minutes.isEmpty else { return Turnaround(medianMinutes: nil, sampleSize: 0) }
        let median = minutes[minutes.count / 2]
        return Turnaround(medianMinutes: max(1, Int(median.rounded())), sampleSize: minutes.count)
    }

    private enum RecentDeliveries: PreparedRead {
        package static let name = "recent_deliveries"
        package static let sql = """
            SELECT o.status_changed_at AS done_at, e.created_at AS paid_at
            FROM orders o JOIN entitlements e ON e.order_id = o.id
            WHERE o.status = $1 AND o.kind = $2 AND o.status_changed_at IS NOT NULL
            ORDER BY o.status_changed_at DESC
            LIMIT 50
            """
    }
}

/// How fast recent orders were delivered: the median minutes from payment to delivery (nil until
/// orders have completed) over how many orders.
package struct Turnaround: Sendable, Equatable {
    package let medianMinutes: Int?
    package let sampleSize: Int
}
