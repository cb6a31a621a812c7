import BlobStorage
import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// `GET /remote-references/{job}/{photo}`: a reference photo (our normalised, metadata-free copy)
/// for the predictions provider to fetch. No session: the link is signed for the job and photo,
/// lasts at most an hour, and is refused as soon as the job is no longer running.
struct RemoteReferenceController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.remoteReference(job: .key, photo: .key), use: reference)
    }

    @Sendable func reference(req: Request) async throws -> Response {
        guard let jobID = req.parameters.get("jobID", as: UUID.self), let photoID = req.parameters.get("photoID", as: UUID.self),
              let link = req.signedLinkQuery
        else { throw Failure(.forbidden, "This link is not valid.") }
        guard let job = try await GenerationJob.find(jobID, on: req.db), let order = try await Order.find(job.$order.id, on: req.db),
              let photo = try await UploadAsset.find(photoID, on: req.db), photo.$order.id == order.id, photo.status == .accepted
        else { throw Failure(.notFound, "There is no such photo.") }
        do {
            try services.downloadLinks.verify(.reference(job: jobID, photo: photoID), user: order.$user.id, expires: link.expires, keyID: link.keyID,
                                              signature: link.signature, now: services.clock.now())
        } catch .tampered {
            throw Failure(.forbidden, "This link is not valid.")
        } catch .expired {
            throw Failure(.gone, "This link has expired.")
        }
        guard job.status == .running else { throw Failure(.gone, "This link was revoked: the work it was given for has ended.") }
        let bytes = try await services.blobStore.read(try BlobKey(path: photo.blobKey))
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.contentType = .jpeg
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
