import Fluent
import Foundation
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

@Suite("Activity log and privacy page") struct ActivityAndPrivacyTests {
    // 17.6: the user's own events, in words, with who did them, paginated, without personal content.
    @Test func theActivityLogListsTheUsersOwnEventsAndNothingOfOthers() async throws {
        try await withTestApp { app, clock in
            let (client, user) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            #expect(try await client.upload(fixture: PhotoClient.personA[0], to: order).status == .created)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            try await GenerationJob.query(on: app.db).filter(\.$id == job.id!).set(\.$progressTotal, to: 2).update()
            #expect(try await QueueWorker(app: app, generator: ProbeGenerator(perHeadshot: .zero)).runOnce())
            let list = try await client.api(.GET, "/orders/\(job.$order.id.uuidString.lowercased())/headshots")
            let link = try Browser.extract(#""full":"([^"]+)""#, from: list.body.string).replacingOccurrences(of: "\\/", with: "/")
            #expect(try await client.browser.request(.GET, link + "&dl=1").status == .ok)

            // Someone else's activity never shows.
            let (other, _) = try await PhotoClient.make(app)
            _ = try await other.createOrder()

            let response = try await client.api(.GET, "/account/activity")
            #expect(response.status == .ok)
            let body = try Body.decoder.decode(Body.self, from: Data(response.body.readableBytesView))
            let codes = body.entries.map(\.action)
            for expected in ["user.logged_in", "order.created", "upload.accepted", "job.running", "job.succeeded", "order.completed", "download.single"] {
                #expect(codes.contains(expected), "\(expected) missing from \(codes)")
            }
            #expect(codes.filter { $0 == "order.created" }.count == 1, "the other user's order is not listed")
            #expect(body.entries.first { $0.action == "user.logged_in" }?.actor == "You")
            #expect(body.entries.first { $0.action == "job.succeeded" }?.actor == "Headshot Studio")
            #expect(body.entries.map(\.at) == body.entries.map(\.at).sorted(by: >), "newest first")
            let text = response.body.string
            #expect(!text.contains(user.email) && !text.contains("img1.jpg") && !text.contains("score"), "no personal content")

            let page = try await client.browser.request(.GET, "/account/activity")
            #expect(page.status == .ok && page.body.string.contains("Headshots delivered") && page.body.string.contains("Downloaded a headshot"))
        }
    }

    @Test func theActivityLogPagesFiftyAtATime() async throws {
        try await withTestApp { app, clock in
            let (client, user) = try await PhotoClient.make(app)
            for minute in 0..<60 {
                try await Audit.record("user.logged_in", subjectType: "user", subjectID: user.id, by: .user(user.id!, requestID: nil),
                                       at: clock.now().addingTimeInterval(TimeInterval(minute * 60)), on: app.db)
            }
            let first = try Body.decoder.decode(Body.self, from: Data(try await client.api(.GET, "/account/activity").body.readableBytesView))
            #expect(first.entries.count == 50 && first.next_page == 2)
            let second = try Body.decoder.decode(Body.self, from: Data(try await client.api(.GET, "/account/activity?page=2").body.readableBytesView))
            #expect(second.entries.count >= 12 && second.next_page == nil && second.page == 2)
            #expect(Set(first.entries.map(\.at)).isDisjoint(with: second.entries.map(\.at)))
            #expect(try await client.api(.GET, "/account/activity?page=0").status == .unprocessableEntity)
        }
    }

    // 17.8: the privacy page says what this configuration does, and every page links to it.
    @Test func thePrivacyPageIsWrittenFromTheRunningConfiguration() async throws {
        try await withTestApp(customize: { $0.retention = RetentionPolicy(selfieDays: 5, headshotDays: 12) }) { app, _ in
            let page = try await Browser(app).request(.GET, "/privacy")
            #expect(page.status == .ok)
            let text = page.body.string
            #expect(text.contains("deleted 5 days after upload") && text.contains("deleted 12 days after your order is delivered"))
            #expect(text.contains("AES-256-GCM") && text.contains("SQLite") == (TestDatabase.postgresAdminURL == nil))
            #expect(text.contains("test cards only"), "the sandbox gateway is named as taking no real payments")
            #expect(text.contains("never stored"), "landmarks")
            for path in ["/", "/login"] {
                #expect(try await Browser(app).request(.GET, path).body.string.contains(#"href="/privacy""#), "\(path) links the policy")
            }
        }
    }

    struct Body: Decodable {
        static let decoder: JSONDecoder = {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return decoder
        }()
        struct Entry: Decodable { let at: Date; let action: String; let description: String; let actor: String }
        let entries: [Entry]
        let page: Int
        let next_page: Int?
    }
}
