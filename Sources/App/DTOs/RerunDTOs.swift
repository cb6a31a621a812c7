import Foundation
import HeadshotCore
import Vapor

/// `POST /api/v1/orders/{id}/reruns` and the gallery's re-run forms: one style, or chosen headshots.
struct RerunRequest: Content {
    let style: String?
    let headshotIDs: [UUID]?

    /// What to re-make; a request naming both, or neither, is refused with what to send.
    func scope() throws -> Reruns.Scope {
        let style = self.style?.trimmingCharacters(in: .whitespaces)
        switch (style?.isEmpty == false ? style : nil, headshotIDs) {
        case (let style?, nil): return .style(style)
        case (nil, let ids?): return .headshots(ids)
        default: throw AccountError.invalidInput(["style": "Send either a style to re-make or the headshot_ids to re-make, not both."])
        }
    }
}

/// A re-run as the API shows it.
struct RerunDTO: Content {
    let id: UUID
    let orderID: UUID
    let status: JobStatus
    /// Each re-made headshot's preset.
    let presets: [String]
    let done: Int
    let total: Int
    let createdAt: Date?

    init(_ job: GenerationJob) throws {
        id = try job.requireID()
        orderID = job.$order.id
        status = job.status
        presets = (job.payload ?? "").split(separator: ",").map(String.init)
        done = job.progressDone
        total = job.progressTotal
        createdAt = job.createdAt
    }
}

/// An order's re-run credits and re-runs.
struct RerunStandingDTO: Content {
    let creditsLeft: Int
    let possible: Bool
    let selfiesKept: Bool
    let selfiesDeletedAt: Date?
    let reruns: [RerunDTO]
}
