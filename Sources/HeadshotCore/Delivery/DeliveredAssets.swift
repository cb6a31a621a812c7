import FluentKit
import Foundation
import Imaging

/// The delivered headshots of orders, as the pages, downloads and the API look them up.
package enum DeliveredAssets {
    /// A ready headshot of `order` (nil for a missing id, one of another order's, or one not ready).
    package static func ready(_ id: UUID?, of order: UUID, on db: any Database) async throws -> GeneratedAsset? {
        guard let id else { return nil }
        return try await GeneratedAsset.query(on: db).filter(\.$id == id).filter(\.$order.$id == order).filter(\.$status == .ready).first()
    }

    /// A ready headshot, whichever its order (nil once deleted).
    package static func ready(_ id: UUID, on db: any Database) async throws -> GeneratedAsset? {
        try await GeneratedAsset.query(on: db).filter(\.$id == id).filter(\.$status == .ready).first()
    }

    /// How many of the order's delivered headshots each way of making them made.
    package static func origins(of order: UUID, on db: any Database) async throws -> [HeadshotOrigin: Int] {
        let codes = try await GeneratedAsset.query(on: db).filter(\.$order.$id == order).filter(\.$status == .ready).all(\.$originCode)
        return codes.reduce(into: [:]) { counts, code in counts[code.flatMap(HeadshotOrigin.init(rawValue:)) ?? .studio, default: 0] += 1 }
    }
}
