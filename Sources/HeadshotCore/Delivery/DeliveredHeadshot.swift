import FluentKit
import Foundation
import Imaging
import SQLKit

/// A ready headshot as the gallery, its API and downloads show it: the columns they read, decoded
/// straight from the row. A gallery lists up to a hundred at a time on every page view and API call;
/// Fluent's model decoding (reflection per property per row) cost a third of such a request.
package struct DeliveredHeadshot: Sendable, Decodable {
    package let id: UUID
    package let orderID: UUID
    package let jobID: UUID?
    package let preset: String
    package let sequence: Int
    package let blobKey: String
    package let width: Int
    package let height: Int
    package let identityDistance: Double?
    package let shot: String?
    package let originCode: String?
    package let favourite: Bool

    package var origin: HeadshotOrigin { originCode.flatMap(HeadshotOrigin.init(rawValue:)) ?? .studio }

    package enum CodingKeys: String, CodingKey, CaseIterable {
        case id, preset, sequence, width, height, shot, favourite
        case orderID = "order_id", jobID = "job_id", blobKey = "blob_key", identityDistance = "identity_distance", originCode = "origin"
    }

    package init(_ asset: GeneratedAsset) throws {
        id = try asset.requireID()
        orderID = asset.$order.id
        jobID = asset.$job.id
        preset = asset.preset
        sequence = asset.sequence
        blobKey = asset.blobKey
        width = asset.width
        height = asset.height
        identityDistance = asset.identityDistance
        shot = asset.shot
        originCode = asset.originCode
        favourite = asset.favourite
    }

    /// The order's ready headshots (of one preset, when given), in no particular order.
    package static func ready(order: UUID, preset: String? = nil, on db: any Database) async throws -> [DeliveredHeadshot] {
        var select = try db.sql().select().columns(CodingKeys.allCases.map { SQLColumn($0.rawValue) }).from(GeneratedAsset.schema)
            .where("order_id", .equal, order).where("status", .equal, GeneratedAssetStatus.ready.rawValue)
        if let preset { select = select.where("preset", .equal, preset) }
        return try await select.all(decoding: DeliveredHeadshot.self)
    }
}
