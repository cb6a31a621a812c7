import BlobStorage
import Fluent
import HeadshotCore
import Imaging
import SiteRoutes
import Vapor

/// Signed download links: a headshot in one variant, for its owner only, while the link is
/// unexpired and untampered. Responses are never cached (`private, no-store`).
struct DownloadsController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.headshotDownload(.key, variant: .key), use: download)
        routes.get(SiteURL.bundleDownload(.key, file: .key), use: bundle)
        routes.get(SiteURL.shared(.key), use: shared)
        routes.get(SiteURL.exportDownload(.key), use: export)
    }

    /// A ready data export, to its owner's session, while its link (24 hours) and the ZIP (7 days) last.
    @Sendable func export(req: Request) async throws -> Response {
        guard let id = req.parameters.get("exportID", as: UUID.self) else { throw Failure(.notFound, "There is no such download.") }
        let (userID, expired) = try checkLink(req, .export(id))
        if expired { throw Failure(.gone, "This link to your data has expired (links last 24 hours). Ask for a new copy on your account page.") }
        guard let export = try await DataExport.find(id, on: req.db), export.userID == userID else {
            throw Failure(.notFound, "There is no such download.")
        }
        if export.status == .withdrawn {
            throw Failure(.gone, "This copy of your data was deleted because some of what it held was deleted or refunded after it was made. Ask for a new one on your account page.")
        }
        guard export.status == .ready, let path = export.blobKey else {
            throw Failure(.gone, "This copy of your data has been deleted (copies are kept 7 days). Ask for a new one on your account page.")
        }
        let body = try await services.blobStore.get(try BlobKey(path: path))
        try await HeadshotDelivery.record(try await ExportContents.headshotOrders(of: export, on: req.db), via: .export,
                                          at: services.clock.now(), on: req.db)
        let response = Response(status: .ok)
        response.headers.contentType = HTTPMediaType(type: "application", subType: "zip")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"headshot-studio-data.zip\"")
        let logger = req.logger
        response.body = .init(asyncStream: { writer in
            do {
                for try await chunk in body { try await writer.writeBuffer(chunk) }
                try await writer.write(.end)
            } catch {
                logger.warning("data export \(id) stream stopped: \(error)")
                try? await writer.write(.error(error))
            }
        })
        return response
    }

    /// A share link: no session needed, but signed, unexpired and not revoked.
    @Sendable func shared(req: Request) async throws -> Response {
        guard let id = req.parameters.get("shareID", as: UUID.self), let query = req.signedLinkQuery else {
            throw Failure(.forbidden, "This link is not valid.")
        }
        // Deleted with its headshot (a deletion request, an account deleted): nothing to verify any more.
        guard let share = try await ShareLink.find(id, on: req.db) else {
            throw Failure(.notFound, "This shared headshot does not exist any more.")
        }
        do {
            try services.downloadLinks.verify(.share(id), user: share.$user.id, expires: query.expires, keyID: query.keyID,
                                                     signature: query.signature, now: services.clock.now())
        } catch .tampered {
            throw Failure(.forbidden, "This link is not valid.")
        } catch .expired {
            throw Failure(.gone, "This shared headshot is no longer available: the link has expired.")
        }
        guard share.revokedAt == nil else { throw Failure(.gone, "This shared headshot is no longer available: its owner stopped sharing it.") }
        guard let asset = try await ownedAsset(share.$asset.id, user: share.$user.id, on: req.db) else {
            throw Failure(.gone, "This shared headshot is no longer available.")
        }
        return try await serve(req, asset: asset, variant: .full, user: share.$user.id, channel: .share)
    }

    /// A ZIP of the order's headshots (all, or the favourites), streamed while it is built.
    @Sendable func bundle(req: Request) async throws -> Response {
        guard let orderID = req.parameters.get("orderID", as: UUID.self), let name = req.parameters.get("bundle"), name.hasSuffix(".zip"),
              let selection = BundleSelection(rawValue: String(name.dropLast(4)))
        else { throw Failure(.notFound, "There is no such download.") }
        let (userID, expired) = try checkLink(req, .bundle(order: orderID, selection: selection))
        if expired { throw Failure(.gone, "This download link has expired. Open your gallery for a fresh one.") }
        guard let order = try await Order.find(orderID, on: req.db), order.$user.id == userID else {
            throw Failure(.notFound, "These headshots no longer exist.")
        }
        try await Delivery.require(order, on: req.db)
        var entries = try await Gallery.numbered(order: orderID, on: req.db)
        if selection == .favourites { entries = entries.filter { $0.0.favourite } }
        guard !entries.isEmpty else { throw Failure(.notFound, "You have not marked any favourites yet.") }
        let files = try entries.map { asset, number in (try BlobKey(path: asset.blobKey), DownloadVariant.full.filename(preset: asset.preset, number: number)) }
        let store = services.blobStore, db = req.db, clock = services.clock, logger = req.logger
        let response = Response(status: .ok)
        response.headers.contentType = HTTPMediaType(type: "application", subType: "zip")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"headshots-\(selection.rawValue).zip\"")
        let archive = ZipArchive(entries: files.map { key, filename in .init(name: filename, source: .blob(key)) }, store: store)
        try await HeadshotDelivery.record([orderID], via: .bundle, at: clock.now(), on: db)
        response.body = .init(asyncStream: { writer in
            var sent = 0
            do {
                for try await piece in archive {
                    sent += piece.readableBytes
                    try await writer.writeBuffer(piece)
                }
                try await writer.write(.end)
                do {
                    try await DownloadEvent(userID: userID, orderID: orderID, assetID: nil, kind: "zip", variant: selection.rawValue,
                                            bytes: sent, at: clock.now()).create(on: db)
                } catch { logger.error("could not record a download: \(error)") }
            } catch {
                logger.warning("ZIP stream for order \(orderID) stopped: \(error)")
                try? await writer.write(.error(error))
            }
        })
        return response
    }

    /// Checks an owner-only link against the session's user: 403 incomplete, tampered or someone
    /// else's, 401 signed out. Returns the user and whether the link has expired (each route answers
    /// that in its own way).
    private func checkLink(_ req: Request, _ subject: DownloadLinks.Subject) throws -> (user: UUID, expired: Bool) {
        guard let query = req.signedLinkQuery else {
            throw Failure(.forbidden, "This download link is incomplete. Open your gallery for a fresh one.")
        }
        guard let user = req.currentUser, let userID = user.id else {
            throw Failure(.unauthorized, "Please log in to download your headshots: download links only work for their owner.")
        }
        do {
            try services.downloadLinks.verify(subject, user: userID, expires: query.expires, keyID: query.keyID,
                                                     signature: query.signature, now: services.clock.now())
            return (userID, false)
        } catch .tampered {
            throw Failure(.forbidden, "This download link is not valid. Open your gallery for a fresh one.")
        } catch .expired {
            return (userID, true)
        }
    }

    @Sendable func download(req: Request) async throws -> Response {
        guard let assetID = req.parameters.get("assetID", as: UUID.self),
              let variant = DownloadVariant(rawValue: req.parameters.get("variant") ?? "")
        else { throw Failure(.notFound, "There is no such download.") }
        // A deleted headshot (retention, a deletion request, an account deleted) is gone for everyone,
        // signed in or not: the link cannot lead anywhere any more.
        guard try await DeliveredAssets.ready(assetID, on: req.db) != nil else {
            throw Failure(.gone, "This headshot is no longer available: it was deleted.")
        }
        let (userID, expired) = try checkLink(req, .headshot(assetID, variant))
        if expired { return try await self.expired(req, assetID: assetID, variant: variant, user: userID) }
        guard let asset = try await ownedAsset(assetID, user: userID, on: req.db) else {
            throw Failure(.gone, "This headshot is no longer available.")
        }
        return try await serve(req, asset: asset, variant: variant, user: userID)
    }

    /// The asset if it belongs to `user`, has not been deleted, and its order may still be served
    /// (completed, with a live entitlement: never after a refund).
    private func ownedAsset(_ id: UUID, user: UUID, on db: any Database) async throws -> GeneratedAsset? {
        guard let asset = try await DeliveredAssets.ready(id, on: db),
              let order = try await Order.find(asset.$order.id, on: db), order.$user.id == user,
              try await Delivery.refusal(order: order, on: db) == nil
        else { return nil }
        return asset
    }

    /// 410 with a page that offers a fresh link (to the owner, for a headshot that still exists).
    private func expired(_ req: Request, assetID: UUID, variant: DownloadVariant, user: UUID) async throws -> Response {
        guard try await ownedAsset(assetID, user: user, on: req.db) != nil else {
            throw Failure(.gone, "This download link has expired.")
        }
        let links = services.downloadLinks
        let fresh = links.path(for: links.grant(.headshot(assetID, variant), user: user, now: services.clock.now())) + "&dl=1"
        let response = DownloadPages.expired(req.viewer, freshLink: fresh)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    /// Sends the headshot in `variant`. Anything larger than the thumbnail is recorded as delivered
    /// before the first byte goes, however the client asked for it (`HeadshotDelivery`).
    private func serve(_ req: Request, asset: GeneratedAsset, variant: DownloadVariant, user: UUID,
                       channel: HeadshotDelivery.Channel? = nil) async throws -> Response {
        let key = try BlobKey(path: asset.blobKey)
        if variant != .thumbnail {
            try await HeadshotDelivery.record([asset.$order.id], via: channel ?? .init(variant), at: services.clock.now(), on: req.db)
        }
        let number = try await Gallery.number(of: asset, on: req.db)
        let attachment = req.query[Int.self, at: "dl"] == 1
        let response = Response(status: .ok)
        response.headers.contentType = .jpeg
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "\(attachment ? "attachment" : "inline"); filename=\"\(variant.filename(preset: asset.preset, number: number))\"")
        let record = attachment && variant != .thumbnail
        let db = req.db, clock = services.clock, logger = req.logger, orderID = asset.$order.id, assetID = asset.id
        @Sendable func recordDownload(_ bytes: Int) async {
            guard record else { return }
            do {
                try await DownloadEvent(userID: user, orderID: orderID, assetID: assetID, kind: "single", variant: variant.rawValue,
                                        bytes: bytes, at: clock.now()).create(on: db)
            } catch { logger.error("could not record a download: \(error)") }
        }
        switch variant {
        case .full:
            let stream = try await services.blobStore.get(key)
            response.body = .init(asyncStream: { writer in
                var sent = 0
                do {
                    for try await chunk in stream {
                        sent += chunk.readableBytes
                        try await writer.writeBuffer(chunk)
                    }
                    try await writer.write(.end)
                    await recordDownload(sent)
                } catch {
                    try? await writer.write(.error(error))
                }
            })
        case .square, .portrait, .thumbnail:
            let crop = try await Delivery.crop(asset, to: variant, services: services)
            response.body = .init(data: Data(crop))
            await recordDownload(crop.count)
        }
        return response
    }
}

extension Request {
    /// A signed link's expiry, key id and signature from the query (`DownloadLinks.path(for:)`); nil when any is missing.
    var signedLinkQuery: (expires: Int, keyID: String, signature: String)? {
        guard let expires = query[Int.self, at: "exp"], let keyID = query[String.self, at: "kid"], let signature = query[String.self, at: "sig"]
        else { return nil }
        return (expires, keyID, signature)
    }
}
