import BlobStorage
import Crypto
import FluentKit
import Foundation

/// Everything a deletion request covers, taken once before anything is deleted and stored with the
/// request: a run that is interrupted and resumed (by this worker or another) deletes from the same
/// list, and the receipt counts each item exactly once.
package struct DeletionInventory: Codable, Equatable {
    package enum Kind: String, Codable, CaseIterable {
        case selfies, thumbnails, headshots, exports, other
    }

    package struct Blob: Codable, Equatable {
        package let key: String
        package let kind: Kind
        package let bytes: Int
    }

    /// The orders whose data goes.
    package var orders: [UUID]
    /// Blob scopes destroyed whole, key first (whole orders and accounts; a selfies-only deletion
    /// leaves the headshots under the order's key, so it deletes file by file).
    package var scopes: [String]
    package var blobs: [Blob]
    /// Rows by kind: descriptors, shares, favourites, downloads, sessions, tokens, notifications…
    package var rows: [String: Int]
    /// The data exports that hold copies of the data (all of an account's; the ready ones otherwise):
    /// they go with it. (Absent from inventories taken before exports were counted for every scope.)
    package var exports: [UUID]? = nil

    package static func kind(of key: BlobKey) -> Kind {
        if key.name.hasPrefix("uploads/") { return .selfies }
        if key.name.hasPrefix("thumbs/") { return .thumbnails }
        if key.name.hasPrefix("headshots/") { return .headshots }
        if key.scope.hasPrefix("export-") { return .exports }
        return .other
    }

    /// Takes the inventory of `request` as the database and storage hold it now.
    package static func take(of request: DeletionRequest, on db: any Database, store: any BlobStore) async throws -> DeletionInventory {
        let orders: [UUID]
        switch request.scope {
        case .selfies, .order: orders = request.orderID.map { [$0] } ?? []
        case .account: orders = try await Order.query(on: db).filter(\.$user.$id == request.userID).sort(\.$createdAt).all(\.$id)
        }
        var blobs: [Blob] = []
        for order in orders {
            let scope = PhotoKeys.scope(order)
            let prefixes = request.scope == .selfies ? [scope + "/uploads/", scope + "/thumbs/"] : [scope + "/"]
            for prefix in prefixes {
                for key in try await store.list(prefix: prefix) {
                    blobs.append(Blob(key: key.path, kind: kind(of: key), bytes: try await store.storedSize(of: key) ?? 0))
                }
            }
        }
        var rows: [String: Int] = [:]
        if !orders.isEmpty {
            rows["descriptors"] = try await UploadAsset.query(on: db).filter(\.$order.$id ~~ orders).filter(\.$faceDescriptor != nil).count()
            rows["selfie_records"] = try await UploadAsset.query(on: db).filter(\.$order.$id ~~ orders).count()
        }
        if request.scope != .selfies, !orders.isEmpty {
            let assets = try await GeneratedAsset.query(on: db).filter(\.$order.$id ~~ orders).all()
            rows["headshot_records"] = assets.count
            rows["favourites"] = assets.filter(\.favourite).count
            let assetIDs = assets.compactMap(\.id)
            rows["shares"] = assetIDs.isEmpty ? 0 : try await ShareLink.query(on: db).filter(\.$asset.$id ~~ assetIDs).count()
            rows["downloads"] = try await DownloadEvent.query(on: db).filter(\.$order.$id ~~ orders).count()
        }
        if request.scope == .account {
            let user = request.userID
            rows["sessions"] = try await UserSession.query(on: db).filter(\.$user.$id == user).count()
            rows["api_tokens"] = try await APIToken.query(on: db).filter(\.$user.$id == user).count()
            rows["one_time_tokens"] = try await OneTimeToken.query(on: db).filter(\.$user.$id == user).count()
            rows["notifications"] = try await Notification.query(on: db).filter(\.$user.$id == user).count()
            rows["orders"] = orders.count
        }
        var scopes = request.scope == .selfies ? [] : orders.map(PhotoKeys.scope)
        // Copies of the data made for the user ("Download my data") go with it: every export of an
        // account; the ready ones (made before, holding what goes now) of an order or its selfies.
        var exports = DataExport.query(on: db).filter(\.$userID == request.userID)
        if request.scope != .account { exports = exports.filter(\.$status == .ready) }
        let copies = try await exports.all(\.$id)
        if !copies.isEmpty || request.scope == .account { rows["data_exports"] = copies.count }
        for export in copies {
            let scope = DataExport.scope(export)
            // A selfies-only deletion leaves the order's key, so it deletes file by file throughout.
            if request.scope != .selfies { scopes.append(scope) }
            for key in try await store.list(prefix: scope + "/") {
                blobs.append(Blob(key: key.path, kind: kind(of: key), bytes: try await store.storedSize(of: key) ?? 0))
            }
        }
        return DeletionInventory(orders: orders, scopes: scopes, blobs: blobs.sorted { $0.key < $1.key }, rows: rows, exports: copies)
    }

    /// SHA-256 of the deleted blob keys, sorted, one per line: proof of what went without naming it.
    package var digest: String {
        let list = blobs.map(\.key).sorted().joined(separator: "\n")
        return SHA256.hash(data: Data(list.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// The proof of a completed deletion: what kinds of data went, how much, and when, without any
/// personal content. Shown on the request's page, mailed, and served as JSON to whoever holds the
/// receipt's secret.
package struct DeletionReceipt: Codable, Equatable, Sendable {
    package struct Count: Codable, Equatable, Sendable {
        package let count: Int
        package let bytes: Int
    }

    package let receiptID: UUID
    package let requestID: UUID
    package let scope: DeletionRequest.Scope
    package let requestedAt: Date
    package let completedAt: Date
    /// When the data keys of the deleted orders were destroyed (nil for selfies only: the order's key
    /// still protects its headshots, so the selfie files are deleted one by one).
    package let keyDestroyedAt: Date?
    /// selfies, thumbnails, headshots, other: blobs and the bytes they took in storage.
    package let blobs: [String: Count]
    /// descriptors, shares, favourites, downloads, sessions, api_tokens, one_time_tokens, notifications…
    package let records: [String: Int]
    package let blobCount: Int
    /// SHA-256 (hex) of the sorted list of deleted blob keys, one per line.
    package let blobKeysSHA256: String
    /// Where the blobs were: "local" or "s3".
    package let storage: String

    package enum CodingKeys: String, CodingKey {
        case receiptID = "receipt_id", requestID = "request_id", scope, requestedAt = "requested_at", completedAt = "completed_at"
        case keyDestroyedAt = "key_destroyed_at", blobs, records, blobCount = "blob_count", blobKeysSHA256 = "blob_keys_sha256", storage
    }

    package init(request: DeletionRequest, inventory: DeletionInventory, completedAt: Date, storage: String) throws {
        requestID = try request.requireID()
        receiptID = request.receiptID ?? requestID
        scope = request.scope
        requestedAt = request.createdAt ?? completedAt
        self.completedAt = completedAt
        keyDestroyedAt = request.keyDestroyedAt
        var blobs: [String: Count] = [:]
        for kind in DeletionInventory.Kind.allCases {
            let items = inventory.blobs.filter { $0.kind == kind }
            if ![.other, .exports].contains(kind) || !items.isEmpty { blobs[kind.rawValue] = Count(count: items.count, bytes: items.reduce(0) { $0 + $1.bytes }) }
        }
        self.blobs = blobs
        records = inventory.rows
        blobCount = inventory.blobs.count
        blobKeysSHA256 = inventory.digest
        self.storage = storage
    }

    package static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return encoder
    }()

    package static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    package func json() throws -> String { String(decoding: try Self.encoder.encode(self), as: UTF8.self) }

    package static func parse(_ text: String) throws -> DeletionReceipt { try decoder.decode(Self.self, from: Data(text.utf8)) }
}
