import BlobStorage
import Foundation

/// Where an upload's blobs live: all under the order's scope, so deleting the order's data destroys them.
package enum PhotoKeys {
    package static let thumbnailSides = [256, 1024]

    package static func photo(order: UUID, upload: UUID) throws -> BlobKey {
        try BlobKey(scope: scope(order), name: "uploads/\(upload.uuidString.lowercased()).jpg")
    }

    package static func thumbnail(order: UUID, upload: UUID, side: Int) throws -> BlobKey {
        try BlobKey(scope: scope(order), name: "thumbs/\(upload.uuidString.lowercased())-\(side).jpg")
    }

    package static func all(order: UUID, upload: UUID) throws -> [BlobKey] {
        try [photo(order: order, upload: upload)] + thumbnailSides.map { try thumbnail(order: order, upload: upload, side: $0) }
    }

    package static func scope(_ order: UUID) -> String { "order-" + order.uuidString.lowercased() }
}
