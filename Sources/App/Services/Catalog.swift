import Fluent
import Foundation
import SQLKit
import Vapor

/// What we sell and how fast we have actually delivered it.
enum Catalog {
    static func packages(on db: any Database) async throws -> [PackageDTO] {
        try await Package.query(on: db).filter(\.$active == true).sort(\.$sortOrder).all().map(PackageDTO.init)
    }

    /// Median time from payment (the order's entitlement) to delivery over the last 50 completed orders.
    /// One query of two columns: the landing page shows it on every view.
    static func turnaround(on db: any Database) async throws -> TurnaroundDTO {
        let rows = try await db.sql().raw("""
            SELECT o.status_changed_at AS done_at, e.created_at AS paid_at
            FROM orders o JOIN entitlements e ON e.order_id = o.id
            WHERE o.status = \(bind: OrderStatus.completed.rawValue) AND o.kind = \(bind: Order.Kind.headshots.rawValue)
              AND o.status_changed_at IS NOT NULL
            ORDER BY o.status_changed_at DESC
            LIMIT 50
            """).all()
        let minutes = try rows.compactMap { row -> Double? in
            guard let paid = try row.decode(column: "paid_at", as: Date?.self) else { return nil }
            return try row.decode(column: "done_at", as: Date.self).timeIntervalSince(paid) / 60
        }.sorted()
        guard !minutes.isEmpty else { return TurnaroundDTO(medianMinutes: nil, sampleSize: 0) }
        let median = minutes[minutes.count / 2]
        return TurnaroundDTO(medianMinutes: max(1, Int(median.rounded())), sampleSize: minutes.count)
    }
}
