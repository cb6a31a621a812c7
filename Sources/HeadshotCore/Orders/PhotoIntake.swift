import BlobStorage
import FluentKit
import Foundation
import Imaging

/// Turns a received file into a stored, checked photo of an order: the quality gate, then the
/// normalised JPEG and its thumbnails into the blob store, then the row with its audit event. If
/// any step fails, what earlier steps wrote is removed again.
package struct PhotoIntake {
    package let db: any Database
    package let store: any BlobStore
    package let inspector: PhotoInspector
    package let pool: NIOThreadPool
    /// When the photo is deleted (the promise made at checkout).
    package let retention: RetentionPolicy

    package func add(_ file: IncomingFile, to order: Order, by actor: AuditActor, at now: Date) async throws -> UploadAsset {
        let bytes = try await pool.runIfActive { () throws -> [UInt8] in
            guard let handle = try PosixFile.openForReading(file.path) else { throw UploadError.noFile }
            return try handle.read(count: file.size)
        }
        let inspected: InspectedPhoto
        do {
            inspected = try await inspector.inspect(bytes)
        } catch let error as PhotoError {
            throw UploadError.photo(error)
        }
        let thumbnails = try await inspector.thumbnails(of: inspected.normalisedJPEG, longSides: PhotoKeys.thumbnailSides)

        let orderID = try order.requireID(), uploadID = UUID()
        let report = inspected.report
        var written: [BlobKey] = []
        do {
            let photoKey = try PhotoKeys.photo(order: orderID, upload: uploadID)
            try await store.put(photoKey, bytes: inspected.normalisedJPEG, contentType: "image/jpeg")
            written.append(photoKey)
            for (side, jpeg) in zip(PhotoKeys.thumbnailSides, thumbnails) {
                let key = try PhotoKeys.thumbnail(order: orderID, upload: uploadID, side: side)
                try await store.put(key, bytes: jpeg, contentType: "image/jpeg")
                written.append(key)
            }
            let upload = UploadAsset(id: uploadID, orderID: orderID, blobKey: photoKey.path, originalFilename: file.filename,
                                     byteSize: inspected.normalisedJPEG.count)
            upload.width = report.width
            upload.height = report.height
            upload.qualityScore = report.score
            upload.verdict = report.verdict.rawValue
            upload.findings = try StoredReport.encode(report.withoutBiometrics())
            upload.faceDescriptor = report.descriptor.map(StoredReport.encodeDescriptor)
            upload.expiresAt = retention.selfieDeletion(uploadedAt: now)
            try await db.transaction { tx in
                try await upload.create(on: tx)
                try await Audit.transition(upload, to: report.verdict == .fail ? .rejected : .accepted, by: actor,
                                           detail: "score \(report.score)", at: now, on: tx)
            }
            return upload
        } catch {
            for key in written { try? await store.delete(key) }
            throw error
        }
    }

    /// Removes a photo: its blobs go, its descriptor and any face geometry in its findings are erased,
    /// and the row is kept as `deleted` for the audit trail.
    package func remove(_ upload: UploadAsset, by actor: AuditActor, at now: Date) async throws {
        let orderID = upload.$order.id, uploadID = try upload.requireID()
        for key in try PhotoKeys.all(order: orderID, upload: uploadID) { try await store.delete(key) }
        try await db.transaction { tx in try await upload.markDeleted(by: actor, detail: nil, at: now, on: tx) }
    }
}

extension UploadAsset {
    /// Forgets what the checks learnt about the face (descriptor and geometry; the verdict stays).
    package func eraseBiometrics() {
        faceDescriptor = nil
        findings = StoredReport.withoutBiometrics(findings)
    }

    /// Erases the biometrics and marks the photo deleted, with its audit event: how every path that
    /// deletes a photo (removal, retention, a discarded draft, a deletion request) leaves its row.
    package func markDeleted(by actor: AuditActor, detail: String?, at now: Date, on db: any Database) async throws {
        eraseBiometrics()
        try await save(on: db)
        try await Audit.transition(self, to: .deleted, by: actor, detail: detail, at: now, on: db)
    }
}

/// How a report is kept in the `findings` column, and the descriptor in its own column.
package enum StoredReport {
    package static func encode(_ report: PhotoReport) throws -> String {
        String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
    }

    package static func decode(_ text: String?, descriptor: String?) -> PhotoReport? {
        guard let text, var report = try? JSONDecoder().decode(PhotoReport.self, from: Data(text.utf8)) else { return nil }
        report.descriptor = descriptor.flatMap(decodeDescriptor)
        return report
    }

    /// Stored findings with any face geometry taken out (rows written before landmarks stopped being kept).
    package static func withoutBiometrics(_ text: String?) -> String? {
        guard let report = decode(text, descriptor: nil) else { return nil }
        return try? encode(report.withoutBiometrics())
    }

    package static func encodeDescriptor(_ values: [Float]) -> String {
        values.withUnsafeBufferPointer { Data(buffer: $0) }.base64EncodedString()
    }

    package static func decodeDescriptor(_ text: String) -> [Float]? {
        guard let data = Data(base64Encoded: text), data.count % 4 == 0 else { return nil }
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}
