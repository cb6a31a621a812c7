import Fluent
import Imaging
import Vapor

/// Signed download links: a headshot in one variant, for its owner only, while the link is
/// unexpired and untampered. Responses are never cached (`private, no-store`).
struct DownloadsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("downloads", "headshots", ":assetID", ":variant", use: download)
    }

    @Sendable func download(req: Request) async throws -> Response {
        guard let assetID = req.parameters.get("assetID", as: UUID.self),
              let variant = DownloadVariant(rawValue: req.parameters.get("variant") ?? "")
        else { throw Abort(.notFound, reason: "There is no such download.") }
        guard let expires = req.query[Int.self, at: "exp"], let keyID = req.query[String.self, at: "kid"],
              let signature = req.query[String.self, at: "sig"]
        else { throw Abort(.forbidden, reason: "This download link is incomplete. Open your gallery for a fresh one.") }
        guard let user = req.currentUser, let userID = user.id else {
            throw Abort(.unauthorized, reason: "Please log in to download your headshots: download links only work for their owner.")
        }
        let links = req.application.downloadLinks
        do {
            try links.verify(asset: assetID, variant: variant, user: userID, expires: expires, keyID: keyID, signature: signature, now: req.clock.now())
        } catch .tampered {
            throw Abort(.forbidden, reason: "This download link is not valid. Open your gallery for a fresh one.")
        } catch .expired {
            return try await expired(req, assetID: assetID, variant: variant, user: userID)
        }
        guard let asset = try await ownedAsset(assetID, user: userID, on: req.db) else {
            throw Abort(.notFound, reason: "This headshot no longer exists.")
        }
        return try await serve(req, asset: asset, variant: variant, user: userID)
    }

    /// The asset if it belongs to `user` and has not been deleted.
    private func ownedAsset(_ id: UUID, user: UUID, on db: any Database) async throws -> GeneratedAsset? {
        guard let asset = try await GeneratedAsset.query(on: db).filter(\.$id == id).filter(\.$status == .ready).first(),
              let order = try await Order.find(asset.$order.id, on: db), order.$user.id == user, order.status != .deleted
        else { return nil }
        return asset
    }

    /// 410 with a page that offers a fresh link (to the owner, for a headshot that still exists).
    private func expired(_ req: Request, assetID: UUID, variant: DownloadVariant, user: UUID) async throws -> Response {
        guard try await ownedAsset(assetID, user: user, on: req.db) != nil else {
            throw Abort(.gone, reason: "This download link has expired.")
        }
        let links = req.application.downloadLinks
        let fresh = links.path(for: links.grant(asset: assetID, user: user, variant: variant, now: req.clock.now())) + "&dl=1"
        let response = DownloadPages.expired(req, freshLink: fresh)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    private func serve(_ req: Request, asset: GeneratedAsset, variant: DownloadVariant, user: UUID) async throws -> Response {
        let key = try BlobKey(path: asset.blobKey)
        let number = try await Gallery.number(of: asset, on: req.db)
        let attachment = req.query[Int.self, at: "dl"] == 1
        let response = Response(status: .ok)
        response.headers.contentType = .jpeg
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "\(attachment ? "attachment" : "inline"); filename=\"\(variant.filename(preset: asset.preset, number: number))\"")
        let record = attachment && variant != .thumbnail
        let db = req.db, clock = req.clock, logger = req.logger, orderID = asset.$order.id, assetID = asset.id
        @Sendable func recordDownload(_ bytes: Int) async {
            guard record else { return }
            do {
                try await DownloadEvent(userID: user, orderID: orderID, assetID: assetID, kind: "single", variant: variant.rawValue,
                                        bytes: bytes, at: clock.now()).create(on: db)
            } catch { logger.error("could not record a download: \(error)") }
        }
        switch variant {
        case .full:
            let stream = try await req.blobStore.get(key)
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
            let jpeg = try await req.blobStore.read(key)
            let sourceType = StudioLook.named(asset.preset)?.digitalSourceType ?? StudioLook.all[0].digitalSourceType
            let crop = try await req.application.threadPool.runIfActive { () throws -> [UInt8] in
                switch variant {
                case .square: try HeadshotCrops.square(jpeg, side: 800, sourceType: sourceType)
                case .portrait: try HeadshotCrops.portrait(jpeg, width: 1080, sourceType: sourceType)
                default: try HeadshotCrops.portrait(jpeg, width: 480, sourceType: sourceType)
                }
            }
            response.body = .init(data: Data(crop))
            await recordDownload(crop.count)
        }
        return response
    }
}

extension Application {
    /// Signs and checks download links with a key derived from SECRET_KEY.
    var downloadLinks: DownloadLinks { DownloadLinks(secrets: secrets) }
}
