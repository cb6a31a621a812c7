import Fluent
import Foundation
import NIOCore
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The guided upload flow end to end through the API and the pages, on the real quality gate.
@Suite("Guided upload flow") struct UploadFlowTests {
    @Test func theSetBecomesReadyAtEightGoodPhotosAndTheServerGatesContinue() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            for fixture in PhotoClient.personA.prefix(7) {
                let response = try await client.upload(fixture: fixture, to: order)
                #expect(response.status == .created, "\(fixture): \(response.body.string.prefix(200))")
            }
            #expect(try await client.readiness(order)["ready"] as? Bool == false)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == OrderPhotos.readyAction).count() == 0)
            let early = try await client.browser.submit("/orders/\(order)/continue", [:])
            #expect(early.status == .conflict && early.body.string.contains("add 1 more"))

            try await client.upload(fixture: PhotoClient.personA[7], to: order)
            #expect(try await client.readiness(order)["ready"] as? Bool == true)
            // Counted once for the upload completion KPI, however many photos follow.
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == OrderPhotos.readyAction).count() == 1)

            // A group photo is stored with its verdict, so its card can say what to fix. It does not hold
            // the set back: Continue removes it (file, thumbnails and face data) and goes on.
            let group = try await client.upload(fixture: "faces/groups/couple.jpg", to: order)
            #expect(group.status == .created)
            #expect(group.body.string.contains(#""verdict":"fail""#) && group.body.string.contains("multiple_faces"))
            let readiness = try await client.readiness(order)
            #expect(readiness["ready"] as? Bool == true && readiness["accepted"] as? Int == 8 && readiness["rejected"] as? Int == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == OrderPhotos.readyAction).count() == 1)
            #expect((readiness["summary"] as? String)?.contains("the photo we can't use is removed when you do") == true, "\(readiness)")
            let groupText = try #require(try await client.photoIDs(order).first { $0.filename == "couple.jpg" }?.id)
            let groupID = try #require(UUID(uuidString: groupText))

            let proceed = try await client.browser.submit("/orders/\(order)/continue", [:])
            #expect(proceed.status == .seeOther && proceed.headers.first(name: .location) == "/orders/\(order)")
            #expect(try await UploadAsset.find(groupID, on: app.db)?.status == .deleted)
            #expect(try await UploadAsset.find(groupID, on: app.db)?.faceDescriptor == nil)
            let after = try await client.readiness(order)
            #expect(after["ready"] as? Bool == true && after["rejected"] as? Int == 0 && after["accepted"] as? Int == 8)
            #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(UUID(uuidString: order)!) + "/").allSatisfy { !$0.path.lowercased().contains(groupID.uuidString.lowercased()) })
        }
    }

    @Test func refusedFilesGetTheirOwnCodeAndLeaveNothingBehind() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            let gif = try await client.upload(Array("GIF89a".utf8) + [UInt8](repeating: 0, count: 100), to: order, filename: "party.jpg")
            #expect(gif.status == .unprocessableEntity && gif.body.string.contains(#""code":"unsupported_format""#))
            #expect(gif.body.string.contains("GIF") && gif.body.string.contains("JPEG"))
            let tiny = try await client.upload(fixture: "faces/singles/Tom_Hanks_54745.png", to: order)
            #expect(tiny.status == .unprocessableEntity && tiny.body.string.contains(#""code":"low_resolution""#))
            let empty = try await client.upload([], to: order, filename: "empty.jpg")
            #expect(empty.status == .unprocessableEntity && empty.body.string.contains("empty_file"))

            #expect(try await UploadAsset.query(on: app.db).count() == 0)
            #expect(try await app.blobStore.list(prefix: "order-\(order)/").isEmpty)
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: app.config.dataDirectory + "/tmp")) ?? []
            #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
        }
    }

    @Test func photosAndThumbnailsAreStoredEncryptedAndServedWithoutMetadata() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            try await client.upload(fixture: "faces/person-a/img1.jpg", to: order)
            let photo = try #require(try await client.photoIDs(order).first)
            let id = photo.id.lowercased()
            let thumbnail = try await client.api(.GET, "/orders/\(order)/photos/\(photo.id)/thumbnail?size=1024")
            #expect(thumbnail.status == .ok && thumbnail.headers.contentType == .jpeg)
            #expect(thumbnail.headers.first(name: .cacheControl) == "private, no-store")
            let jpeg = [UInt8](thumbnail.body.readableBytesView)
            #expect(jpeg.starts(with: [0xFF, 0xD8, 0xFF]) && !Data(jpeg).contains(Data("Exif".utf8)))

            let keys = try await app.blobStore.list(prefix: "order-\(order)/")
            #expect(keys.map(\.name).sorted() == ["thumbs/\(id)-1024.jpg", "thumbs/\(id)-256.jpg", "uploads/\(id).jpg"])
            for key in keys {
                let onDisk = try [UInt8](Data(contentsOf: URL(fileURLWithPath: app.config.dataDirectory + "/blobs/" + key.path)))
                #expect(!onDisk.starts(with: [0xFF, 0xD8]), "\(key) is readable as a JPEG on disk")
            }
            let upload = try #require(try await UploadAsset.query(on: app.db).first())
            #expect(upload.status == .accepted && upload.faceDescriptor != nil && upload.expiresAt != nil)
            #expect(!(upload.findings ?? "").contains("descriptor"), "the descriptor only lives in its own column")
            let listing = try await client.api(.GET, "/orders/\(order)/photos")
            #expect(!listing.body.string.contains("descriptor"))
        }
    }

    @Test func removingAPhotoDeletesItsFilesAndFaceData() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            try await client.upload(fixture: "faces/person-a/img2.jpg", to: order)
            let photo = try #require(try await client.photoIDs(order).first)
            let removed = try await client.browser.submit("/orders/\(order)/photos/\(photo.id)/delete", [:])
            #expect(removed.status == .seeOther)
            #expect(try await app.blobStore.list(prefix: "order-\(order)/").isEmpty)
            let upload = try #require(try await UploadAsset.find(UUID(uuidString: photo.id), on: app.db))
            #expect(upload.status == .deleted && upload.faceDescriptor == nil)
            #expect(try await client.photoIDs(order).isEmpty)
            #expect(try await client.api(.GET, "/orders/\(order)/photos/\(photo.id)/thumbnail").status == .notFound)
        }
    }

    @Test func anotherUsersOrderPhotoAndThumbnailAreNotFoundEverywhere() async throws {
        try await withTestApp { app, _ in
            let (owner, _) = try await PhotoClient.make(app)
            let order = try await owner.createOrder()
            try await owner.upload(fixture: "faces/person-a/img6.jpg", to: order)
            let photo = try #require(try await owner.photoIDs(order).first?.id)
            let (intruder, _) = try await PhotoClient.make(app)

            let pages: [(HTTPMethod, String)] = [
                (.GET, "/orders/\(order)"), (.GET, "/orders/\(order)/photos"), (.GET, "/orders/\(order)/photos/set"),
                (.GET, "/orders/\(order)/photos/\(photo)/thumbnail?size=256"), (.GET, "/orders/\(order)/photos/\(photo)/thumbnail?size=1024"),
            ]
            for (method, path) in pages {
                #expect(try await intruder.browser.request(method, path).status == .notFound, "\(method) \(path)")
            }
            for path in ["/orders/\(order)/photos/\(photo)/delete", "/orders/\(order)/continue"] {
                #expect(try await intruder.browser.submit(path, [:]).status == .notFound, "POST \(path)")
            }
            let csrf = try await intruder.browser.csrfToken()
            let pageUpload = try await intruder.browser.request(.POST, "/orders/\(order)/photos",
                headers: ["Content-Type": "image/jpeg", "X-CSRF-Token": csrf], body: ByteBuffer(bytes: try PhotoClient.fixture("faces/person-a/img7.jpg")))
            #expect(pageUpload.status == .notFound)

            let api: [(HTTPMethod, String)] = [
                (.GET, "/orders/\(order)"), (.GET, "/orders/\(order)/photos"), (.GET, "/orders/\(order)/photos/readiness"),
                (.GET, "/orders/\(order)/photos/\(photo)/thumbnail"), (.DELETE, "/orders/\(order)/photos/\(photo)"),
            ]
            for (method, path) in api {
                #expect(try await intruder.api(method, path).status == .notFound, "API \(method) \(path)")
            }
            #expect(try await intruder.upload(fixture: "faces/person-a/img7.jpg", to: order).status == .notFound)
            // And with the right order but a photo id from elsewhere: still 404.
            let own = try await intruder.createOrder()
            #expect(try await intruder.api(.GET, "/orders/\(own)/photos/\(photo)/thumbnail").status == .notFound)

            #expect(try await owner.photoIDs(order).count == 1, "the owner's photo is untouched")
            #expect(try await UploadAsset.query(on: app.db).count() == 1)
        }
    }

    @Test func moreThanTwentyGoodPhotosAreRefused() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            let orderID = try #require(UUID(uuidString: order))
            for index in 0..<20 {
                let upload = UploadAsset(orderID: orderID, blobKey: "order-\(order)/uploads/\(index).jpg", originalFilename: "\(index).jpg", byteSize: 1)
                upload.status = .accepted
                try await upload.create(on: app.db)
            }
            let response = try await client.upload(fixture: "faces/person-a/img1.jpg", to: order)
            #expect(response.status == .conflict && response.body.string.contains("set_full"))
            #expect(try await UploadAsset.query(on: app.db).count() == 20)
        }
    }

    @Test func uploadsAreRateLimitedPerUser() async throws {
        try await withTestApp { app, clock in
            let (client, user) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            for _ in 0..<RateLimiter.uploads.limit {
                try await RateEvent(bucket: "upload", subject: user.requireID().uuidString, at: clock.now()).create(on: app.db)
            }
            let response = try await client.upload(fixture: "faces/person-a/img1.jpg", to: order)
            #expect(response.status == .tooManyRequests)
            #expect(Int(response.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
            clock.advance(by: RateLimiter.uploads.window + 1)
            #expect(try await client.upload(fixture: "faces/person-a/img1.jpg", to: order).status == .created)
        }
    }

    @Test func theNoScriptFormUploadsSeveralPhotosAndListsTheOnesRefused() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            let (body, contentType) = PhotoClient.multipart([
                ("img5.jpg", try PhotoClient.fixture("faces/person-a/img5.jpg")),
                ("animation.gif", Array("GIF89a".utf8) + [UInt8](repeating: 1, count: 64)),
                ("img6.jpg", try PhotoClient.fixture("faces/person-a/img6.jpg")),
            ])
            let headers: HTTPHeaders = ["Content-Type": contentType]

            let forged = try await client.browser.request(.POST, "/orders/\(order)/photos", headers: headers, body: ByteBuffer(bytes: body))
            #expect(forged.status == .forbidden, "a form without the CSRF token is refused")

            let csrf = try await client.browser.csrfToken()
            let page = try await client.browser.request(.POST, "/orders/\(order)/photos?_csrf=\(csrf)", headers: headers, body: ByteBuffer(bytes: body))
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.string.contains("animation.gif") && page.body.string.contains("GIF file"))
            #expect(try await client.photoIDs(order).map(\.filename) == ["img5.jpg", "img6.jpg"])

            // The API twin answers the same form with what it added and what it refused.
            var apiHeaders = client.auth
            apiHeaders.replaceOrAdd(name: .contentType, value: contentType)
            let twin = try await client.browser.request(.POST, "/api/v1/orders/\(order)/photos", headers: apiHeaders, body: ByteBuffer(bytes: body))
            #expect(twin.status == .created)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(twin.body.readableBytesView)) as? [String: Any])
            #expect((json["photos"] as? [[String: Any]])?.count == 2)
            let refused = try #require((json["refused"] as? [[String: Any]])?.first)
            #expect(refused["filename"] as? String == "animation.gif" && refused["code"] as? String == "unsupported_format")
        }
    }

    /// Found by schemathesis: a multipart body that ends before its first part (or is garbage) is a
    /// clear 400, never a server error, and leaves nothing behind.
    @Test func aBrokenMultipartFormIsABadRequestAndLeavesNothing() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            let boundary = "c637e12e2b1a998d80d1b087531af51c"
            var headers = client.auth
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            for body in ["--\(boundary)--\r\n", "not a form at all", "--\(boundary)\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.jpg\"\r\n\r\nabc"] {
                let response = try await client.browser.request(.POST, "/api/v1/orders/\(order)/photos", headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body.debugDescription): \(response.status) \(response.body.string)")
                #expect(["malformed_form", "no_file"].contains { response.body.string.contains("\"code\":\"\($0)\"") }, "\(response.body.string)")
            }
            #expect(try await client.photoIDs(order).isEmpty)
            #expect(try await UploadAsset.query(on: app.db).count() == 0)
        }
    }

    @Test func abandonedDraftsAreDeletedWithTheirPhotosAfterTwoDays() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            try await client.upload(fixture: "faces/person-a/img2.jpg", to: order)
            let cleanup = DraftCleanup(db: app.db, store: app.blobStore)
            // Row timestamps come from the database layer's own clock, so time is counted from them.
            let created = try #require(try await Order.find(UUID(uuidString: order), on: app.db)?.createdAt)
            #expect(try await cleanup.run(at: created.addingTimeInterval(47 * 3600)) == 0)
            #expect(try await cleanup.run(at: created.addingTimeInterval(49 * 3600)) == 1)
            #expect(try await app.blobStore.list(prefix: "order-\(order)/").isEmpty)
            #expect(try await Order.find(UUID(uuidString: order), on: app.db)?.status == .deleted)
            let uploads = try await UploadAsset.query(on: app.db).all()
            #expect(uploads.allSatisfy { $0.status == .deleted && $0.faceDescriptor == nil })
            #expect(try await client.api(.GET, "/orders/\(order)").status == .notFound)
        }
    }
}
