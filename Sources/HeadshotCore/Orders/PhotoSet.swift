import FluentKit
import Foundation
import Imaging

/// An order's photos as the upload page and the API show them: each photo's own report merged with
/// the set checks (someone else, duplicates), the counter, and whether the set is ready to continue.
/// The set checks compare every photo with every other, so their result is computed once per change
/// of the set and kept with the order, keyed by the photos' ids: a read of an unchanged set costs no
/// comparison, and adding or removing a photo (by any path) immediately gives a fresh result.
package struct PhotoSet {
    package struct Photo {
        package let upload: UploadAsset
        /// The photo's report with the set's findings merged in.
        package let report: PhotoReport?
        package var id: UUID { upload.id! }
        package var verdict: Verdict { report?.verdict ?? .fail }
        package var usable: Bool { verdict != .fail }
    }

    package let photos: [Photo]
    package let accepted: Int
    package let hints: [Finding]

    package var rejected: Int { photos.count - accepted }
    /// Enough good photos to continue. Photos the checks refused do not hold the set back: they are
    /// removed when the customer continues (or starts the checkout), never used.
    package var ready: Bool { (Thresholds.minimumSetSize...Thresholds.maximumSetSize).contains(accepted) }

    /// One line for the counter and the API: "11 good photos of 8–20 needed. Ready to continue."
    package var summary: String {
        "\(accepted) good \(accepted == 1 ? "photo" : "photos") of \(Thresholds.minimumSetSize)–\(Thresholds.maximumSetSize) needed"
            + (ready ? ". " : ": ") + advice
    }

    /// What to do next, in a few words.
    package var advice: String {
        if accepted < Thresholds.minimumSetSize { return "add \(Thresholds.minimumSetSize - accepted) more." }
        if accepted > Thresholds.maximumSetSize { return "remove \(accepted - Thresholds.maximumSetSize)." }
        if rejected > 0 { return "Ready to continue; the \(rejected == 1 ? "photo" : "\(rejected) photos") we can't use \(rejected == 1 ? "is" : "are") removed when you do." }
        return "Ready to continue."
    }

    /// The set checks' result as kept with the order.
    package struct Evaluated: Codable {
        package let ids: [UUID]
        /// Each photo's report with the set's findings merged in (nil for a photo without a report).
        package let reports: [PhotoReport?]
        package let hints: [Finding]
    }

    package static func load(order orderID: UUID, on db: any Database) async throws -> PhotoSet {
        let uploads = try await UploadAsset.query(on: db).filter(\.$order.$id == orderID)
            .filter(\.$status != .deleted).sort(\.$createdAt, .ascending).sort(\.$id, .ascending).all()
        let ids = uploads.compactMap(\.id)
        let cached = try await Order.find(orderID, on: db)?.photoSetCache
            .flatMap { try? JSONDecoder().decode(Evaluated.self, from: Data($0.utf8)) }
        let evaluated: Evaluated
        if let cached, cached.ids == ids {
            evaluated = cached
        } else {
            evaluated = evaluate(uploads)
            let text = String(decoding: try JSONEncoder().encode(evaluated), as: UTF8.self)
            try await Order.query(on: db).filter(\.$id == orderID).set(\.$photoSetCache, to: text).update()
        }
        let photos = zip(uploads, evaluated.reports).map { Photo(upload: $0, report: $1) }
        return PhotoSet(photos: photos, accepted: photos.filter(\.usable).count, hints: evaluated.hints)
    }

    /// Runs the set checks over the photos' stored reports and descriptors.
    package static func evaluate(_ uploads: [UploadAsset]) -> Evaluated {
        let reports = uploads.map { StoredReport.decode($0.findings, descriptor: $0.faceDescriptor) }
        let members = zip(uploads, reports).compactMap { upload, report in
            report.map { SetMember(id: upload.originalFilename, report: $0) }
        }
        let evaluated = SetEvaluator.evaluate(members)
        var merged = evaluated.photos.makeIterator()
        let merges = reports.map { report in report == nil ? nil : merged.next()?.report.withoutBiometrics() }
        return Evaluated(ids: uploads.compactMap(\.id), reports: merges, hints: evaluated.findings.filter { $0.verdict != .pass })
    }
}
