import Fluent
import Foundation

/// What we sell and how fast we have actually delivered it.
enum Catalog {
    static func packages(on db: any Database) async throws -> [PackageDTO] {
        try await Package.query(on: db).filter(\.$active == true).sort(\.$sortOrder).all().map(PackageDTO.init)
    }

    /// Median time from payment (the entitlement's creation) to delivery over the last 50 completed orders.
    static func turnaround(on db: any Database) async throws -> TurnaroundDTO {
        let orders = try await Order.query(on: db).filter(\.$status == .completed).filter(\.$kind == .headshots)
            .sort(\.$statusChangedAt, .descending).limit(50).all()
        let ids = orders.compactMap(\.id)
        guard !ids.isEmpty else { return TurnaroundDTO(medianMinutes: nil, sampleSize: 0) }
        let paidAt = try await Entitlement.query(on: db).filter(\.$order.$id ~~ ids).all()
            .reduce(into: [UUID: Date]()) { $0[$1.$order.id] = $1.createdAt }
        let minutes = orders.compactMap { order -> Double? in
            guard let id = order.id, let paid = paidAt[id], let done = order.statusChangedAt else { return nil }
            return done.timeIntervalSince(paid) / 60
        }.sorted()
        guard !minutes.isEmpty else { return TurnaroundDTO(medianMinutes: nil, sampleSize: 0) }
        let median = minutes[minutes.count / 2]
        return TurnaroundDTO(medianMinutes: max(1, Int(median.rounded())), sampleSize: minutes.count)
    }
}
