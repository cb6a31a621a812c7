import Foundation
import HeadshotCore
import Imaging
import Vapor

/// One check's outcome as the API shows it.
struct FindingDTO: Content {
    let code: String
    let verdict: String
    let score: Int
    let message: String
    let tip: String

    init(_ finding: Finding) {
        code = finding.code.rawValue
        verdict = finding.verdict.rawValue
        score = finding.score
        message = finding.message
        tip = finding.tip
    }
}

/// The face box as fractions (0–1) of the photo's width and height, ready to draw over any size of it.
struct FaceBoxDTO: Content {
    let x: Double
    let y: Double
    let width: Double
    let height: Double
}

/// A photo of an order with its quality verdict. Never carries the face descriptor.
struct PhotoDTO: Content {
    let id: UUID
    let filename: String
    let verdict: String
    let score: Int
    let width: Int?
    let height: Int?
    let faceBox: FaceBoxDTO?
    /// Problems to fix (warnings and failures), each with its tip.
    let problems: [FindingDTO]
    /// Every check, passing ones included.
    let findings: [FindingDTO]
    let thumbnailURL: String
    let uploadedAt: Date?
    let deletedAfter: Date?

    /// `thumbnail` is where the photo's 256 px thumbnail is served (the page's route or the API's).
    init(_ photo: PhotoSet.Photo, thumbnail: String) {
        let report = photo.report
        id = photo.id
        filename = photo.upload.originalFilename
        verdict = photo.verdict.rawValue
        score = report?.score ?? 0
        width = photo.upload.width
        height = photo.upload.height
        if let box = report?.faceBox, let w = report?.width, let h = report?.height, w > 0, h > 0 {
            faceBox = FaceBoxDTO(x: box.x / Double(w), y: box.y / Double(h), width: box.width / Double(w), height: box.height / Double(h))
        } else {
            faceBox = nil
        }
        problems = (report?.problems ?? []).map(FindingDTO.init)
        findings = (report?.findings ?? []).map(FindingDTO.init)
        thumbnailURL = thumbnail
        uploadedAt = photo.upload.createdAt
        deletedAfter = photo.upload.expiresAt
    }
}

/// Where an order's set stands: what the counter and the Continue button show.
struct ReadinessDTO: Content {
    let accepted: Int
    let rejected: Int
    let minimum: Int
    let maximum: Int
    let ready: Bool
    let summary: String
    let hints: [FindingDTO]

    init(_ set: PhotoSet) {
        accepted = set.accepted
        rejected = set.rejected
        minimum = Thresholds.minimumSetSize
        maximum = Thresholds.maximumSetSize
        ready = set.ready
        summary = set.summary
        hints = set.hints.map(FindingDTO.init)
    }
}

struct PhotoSetDTO: Content {
    let photos: [PhotoDTO]
    let readiness: ReadinessDTO
}

/// A file of a multi-file upload that was not added, and why.
struct RefusedFileDTO: Content {
    let filename: String
    let code: String
    let message: String
}

/// What an upload did: the photos it added, the files it refused, and where the set now stands.
struct UploadResultDTO: Content {
    let photos: [PhotoDTO]
    let refused: [RefusedFileDTO]
    let readiness: ReadinessDTO
}
