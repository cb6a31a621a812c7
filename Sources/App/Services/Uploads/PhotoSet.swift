import Fluent
import Foundation
import Imaging

/// An order's photos as the upload page and the API show them: each photo's own report merged with
/// the set checks (someone else, duplicates), the counter, and whether the set is ready to continue.
/// Set checks are recomputed on every read, so removing a photo immediately clears what it caused.
struct PhotoSet {
    struct Photo {
        let upload: UploadAsset
        /// The photo's report with the set's findings merged in.
        let report: PhotoReport?
        var id: UUID { upload.id! }
        var verdict: Verdict { report?.verdict ?? .fail }
        var usable: Bool { verdict != .fail }
    }

    let photos: [Photo]
    let accepted: Int
    let hints: [Finding]

    var rejected: Int { photos.count - accepted }
    var ready: Bool { rejected == 0 && (Thresholds.minimumSetSize...Thresholds.maximumSetSize).contains(accepted) }

    /// One line for the counter and the API: "11 good photos of 8–20 needed. Ready to continue."
    var summary: String {
        "\(accepted) good \(accepted == 1 ? "photo" : "photos") of \(Thresholds.minimumSetSize)–\(Thresholds.maximumSetSize) needed"
            + (ready ? ". " : ": ") + advice
    }

    /// What to do next, in a few words.
    var advice: String {
        if accepted < Thresholds.minimumSetSize { return "add \(Thresholds.minimumSetSize - accepted) more." }
        if accepted > Thresholds.maximumSetSize { return "remove \(accepted - Thresholds.maximumSetSize)." }
        if rejected > 0 { return "remove the \(rejected == 1 ? "photo" : "\(rejected) photos") we can't use to continue." }
        return "Ready to continue."
    }

    static func load(order orderID: UUID, on db: any Database) async throws -> PhotoSet {
        let uploads = try await UploadAsset.query(on: db).filter(\.$order.$id == orderID)
            .filter(\.$status != .deleted).sort(\.$createdAt, .ascending).sort(\.$id, .ascending).all()
        let reports = uploads.map { StoredReport.decode($0.findings, descriptor: $0.faceDescriptor) }
        let members = zip(uploads, reports).compactMap { upload, report in
            report.map { SetMember(id: upload.originalFilename, report: $0) }
        }
        let evaluated = SetEvaluator.evaluate(members)
        var merged = evaluated.photos.makeIterator()
        let photos = zip(uploads, reports).map { upload, report in
            Photo(upload: upload, report: report == nil ? nil : merged.next()?.report.withoutBiometrics())
        }
        return PhotoSet(photos: photos, accepted: photos.filter(\.usable).count, hints: evaluated.findings.filter { $0.verdict != .pass })
    }
}
