import BlobStorage
import Fluent
import HeadshotCore
import Vapor

/// The team gallery's files, for the team's managers, shared by the pages and the API: a member's
/// chosen headshot as a thumbnail, the ZIP of every chosen headshot (named after the members), and
/// the CSV of the team's people. Never a selfie, never a headshot the member did not share.
struct TeamFiles {
    let req: Request
    let services: AppServices

    private func managed() async throws -> Teams.Access {
        try await Teams(db: req.db, services: services, actor: req.actor)
            .managed(req.parameters.get("teamID", as: UUID.self), by: try req.requireUser().requireID())
    }

    func thumbnail() async throws -> Response {
        let access = try await managed()
        let userID = req.parameters.get("userID", as: UUID.self)
        guard let item = try await TeamGallery.items(of: access.teamID, on: req.db).first(where: { $0.userID == userID }) else {
            throw Failure.notFound("That member has not shared a team headshot.")
        }
        let response = Response(status: .ok, body: .init(data: Data(try await Delivery.crop(item.asset, to: .thumbnail, services: services))))
        response.headers.contentType = .jpeg
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    func zip() async throws -> Response {
        let access = try await managed()
        let items = try await TeamGallery.items(of: access.teamID, on: req.db)
        guard !items.isEmpty else { throw Failure(.conflict, "No member has shared a team headshot yet.", code: "no_team_headshots") }
        let entries = try items.map { ZipArchive.Entry(name: $0.filename, source: .blob(try BlobKey(path: $0.asset.blobKey))) }
        let archive = ZipArchive(entries: entries, store: services.blobStore)
        try await HeadshotDelivery.record(items.map { $0.asset.$order.id }, via: .teamZip, at: services.clock.now(), on: req.db)
        let logger = req.logger, teamID = access.teamID
        let response = Response(status: .ok)
        response.headers.contentType = HTTPMediaType(type: "application", subType: "zip")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(TeamGallery.safeName(access.team.name)) team headshots.zip\"")
        response.body = .init(asyncStream: { writer in
            do {
                for try await piece in archive { try await writer.writeBuffer(piece) }
                try await writer.write(.end)
            } catch {
                logger.warning("team ZIP for \(teamID) stopped: \(error)")
                try? await writer.write(.error(error))
            }
        })
        try await Audit.record("team.headshots_downloaded", subjectType: Team.auditSubject, subjectID: teamID, by: req.actor,
                               detail: "\(items.count) headshots", at: services.clock.now(), on: req.db)
        return response
    }

    func csv() async throws -> Response {
        let access = try await managed()
        let dashboard = try await TeamDashboard.load(team: access.teamID, at: services.clock.now(), on: req.db)
        let text = TeamGallery.csv(dashboard, items: try await TeamGallery.items(of: access.teamID, on: req.db))
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(TeamGallery.safeName(access.team.name)) members.csv\"")
        return response
    }
}
