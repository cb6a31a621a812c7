import Fluent
import Imaging
import Foundation
import NIOCore
import Testing
import VaporTesting
@testable import App

/// Work an attacker could make the service do for free: password guesses, uploads, mail.
@Suite("Abuse limits") struct AbuseLimitTests {
    // 7. Fifty guesses sent at once: at most ten reach bcrypt, the rest are refused before it.
    @Test func fiftyConcurrentLoginGuessesEvaluateAtMostTen() async throws {
        try await withTestApp { app, _ in
            let user = try await Fixtures.user(app)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for guess in 0..<50 {
                    group.addTask {
                        let browser = Browser(app)
                        browser.ip = "198.51.100.\(guess)"
                        return try await browser.request(.POST, "/api/v1/auth/token", json: ["email": user.email, "password": "wrong guess \(guess)"]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let evaluated = statuses.filter { $0 == .unauthorized }.count
            #expect(evaluated <= LoginThrottle.perAccount, "\(evaluated) guesses were checked")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 50 - evaluated)
            let failures = try await AuditEvent.query(on: app.db).filter(\.$action == "user.login_failed").count()
            #expect(failures == evaluated, "each evaluated guess is audited, refused ones never reach the password check")
        }
    }

    // 5. A multipart upload counts each file against the limit, before any is checked.
    @Test func uploadLimitCountsFilesNotRequests() async throws {
        try await withTestApp { app, _ in
            let (client, user) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            try await RateLimiter(db: app.db).hit(RateLimiter.uploads, subject: user.requireID().uuidString,
                                                  count: RateLimiter.uploads.limit - 2, at: app.clock.now())
            let photo = try PhotoClient.fixture(PhotoClient.personA[0])
            let (body, contentType) = PhotoClient.multipart([("a.jpg", photo), ("b.jpg", photo), ("c.jpg", photo)])
            var headers = client.auth
            headers.replaceOrAdd(name: .contentType, value: contentType)
            let response = try await client.browser.request(.POST, "/api/v1/orders/\(order)/photos", headers: headers, body: ByteBuffer(bytes: body))
            #expect(response.status == .tooManyRequests, "\(response.body.string.prefix(300))")
            #expect(response.headers.first(name: "Retry-After") != nil)
            #expect(try await UploadAsset.query(on: app.db).count() == 0, "nothing was checked or stored")
            #expect(try await RateEvent.query(on: app.db).count() <= RateLimiter.uploads.limit, "refused files are not counted past the limit")
        }
    }

    // 5. Refused photos are kept to show what is wrong, but an order holds at most 40 photos in all.
    @Test func anOrderHoldsAtMostFortyPhotosCountingRefusedOnes() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            let orderID = try #require(UUID(uuidString: order))
            for index in 0..<(OrderPhotos.maximumStored - 1) {
                let refused = UploadAsset(orderID: orderID, blobKey: "none", originalFilename: "blurry-\(index).jpg", byteSize: 1)
                refused.status = .rejected
                try await refused.create(on: app.db)
            }
            #expect(try await client.upload(fixture: PhotoClient.personA[0], to: order).status == .created)
            let over = try await client.upload(fixture: PhotoClient.personA[1], to: order)
            #expect(over.status == .conflict)
            #expect(over.body.string.contains("too_many_photos") && over.body.string.contains("Remove the photos we can't use"))
            #expect(try await UploadAsset.query(on: app.db).filter(\.$status != .deleted).count() == OrderPhotos.maximumStored)
        }
    }

    // 5. The set checks run once per change of the set, not on every read.
    @Test func setChecksAreComputedOncePerChangeNotPerRead() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            let orderID = try #require(UUID(uuidString: order))
            for photo in PhotoClient.personA.prefix(2) { #expect(try await client.upload(fixture: photo, to: order).status == .created) }
            _ = try await client.readiness(order)
            let stored = try #require(try await Order.find(orderID, on: app.db)?.photoSetCache)
            // Mark the kept result: a read that recomputed would lose the mark.
            var evaluated = try JSONDecoder().decode(PhotoSet.Evaluated.self, from: Data(stored.utf8))
            let marker = Finding(code: .duplicate, verdict: .warn, score: 60, message: "kept-result-marker", tip: "")
            evaluated = PhotoSet.Evaluated(ids: evaluated.ids, reports: evaluated.reports, hints: evaluated.hints + [marker])
            try await Order.query(on: app.db).filter(\.$id == orderID)
                .set(\.$photoSetCache, to: String(decoding: try JSONEncoder().encode(evaluated), as: UTF8.self)).update()
            for _ in 0..<3 {
                let page = try await client.api(.GET, "/orders/\(order)/photos")
                #expect(page.body.string.contains("kept-result-marker"), "an unchanged set is read, not recomputed")
            }
            let photos = try await client.photoIDs(order)
            #expect(try await client.api(.DELETE, "/orders/\(order)/photos/\(photos[0].id)").status == .noContent)
            let after = try await client.api(.GET, "/orders/\(order)/photos")
            #expect(!after.body.string.contains("kept-result-marker"), "a change of the set recomputes it")
        }
    }

    // 16. Face geometry is never stored in the findings, and a removed photo keeps none of it.
    @Test func faceLandmarksAreNotStoredAndRemovalErasesEveryBiometric() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            let response = try await client.upload(fixture: PhotoClient.personA[0], to: order)
            #expect(response.status == .created && !response.body.string.contains("landmarks"))
            let upload = try #require(try await UploadAsset.query(on: app.db).first())
            #expect(upload.faceDescriptor != nil, "the descriptor is kept for the set checks while the photo exists")
            #expect(upload.findings?.contains("landmarks") == false, "\(upload.findings ?? "")")

            // A row written before this change, with landmarks in its findings, loses them with the photo.
            upload.findings = upload.findings?.replacingOccurrences(of: #""width""#, with: #""landmarks":[{"x":1,"y":2}],"width""#)
            try await upload.save(on: app.db)
            #expect(try await client.api(.DELETE, "/orders/\(order)/photos/\(upload.requireID())").status == .noContent)
            let removed = try #require(try await UploadAsset.find(upload.requireID(), on: app.db))
            #expect(removed.faceDescriptor == nil)
            #expect(removed.findings?.contains("landmarks") != true)
        }
    }
}
