import Fluent
import NIOCore
import NIOConcurrencyHelpers
import Imaging
import Foundation
import SiteRoutes
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The customer journey's dead ends, closed: one click removes every photo the checks refused, and
/// redirects within the site keep whatever address the browser is using.
@Suite("Customer journey")
struct JourneyTests {
    @Test func oneClickRemovesThePhotosWeCannotUseAndTheSetBecomesReady() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            for fixture in PhotoClient.personA + ["faces/groups/couple.jpg", "no-face/rocket.jpg"] { try await client.upload(fixture: fixture, to: order) }
            let before = try await client.readiness(order)
            #expect(before["ready"] as? Bool == true && before["rejected"] as? Int == 2, "\(before)")
            let page = try await client.browser.request(.GET, "/orders/\(order)/photos").body.string
            #expect(page.contains("Remove the 2 photos we can&#x27;t use") || page.contains("Remove the 2 photos we can't use"))

            let removed = try await client.browser.submit("/orders/\(order)/photos/remove-unusable", [:])
            #expect(removed.status == .seeOther && removed.headers.first(name: .location) == "/orders/\(order)/photos")
            let after = try await client.readiness(order)
            #expect(after["ready"] as? Bool == true && after["rejected"] as? Int == 0 && after["accepted"] as? Int == PhotoClient.personA.count)
            #expect(try await UploadAsset.query(on: app.db).filter(\.$order.$id == UUID(uuidString: order)!).filter(\.$status == .deleted).count() == 2)

            // The API twin does the same and answers the set; a stranger's order is not found.
            let second = try await client.createOrder()
            for fixture in ["faces/groups/couple.jpg", PhotoClient.personA[0]] { try await client.upload(fixture: fixture, to: second) }
            let twin = try await client.api(.POST, "/orders/\(second)/photos/remove-unusable")
            #expect(twin.status == .ok && twin.body.string.contains(#""rejected":0"#), "\(twin.body.string)")
            let (stranger, _) = try await PhotoClient.make(app)
            #expect(try await stranger.api(.POST, "/orders/\(second)/photos/remove-unusable").status == .notFound)

            // Starting the checkout over the API with a refused photo still in the set removes it first.
            let third = try await client.createOrder()
            for fixture in PhotoClient.personA + ["faces/groups/couple.jpg"] { try await client.upload(fixture: fixture, to: third) }
            var headers = client.auth
            headers.contentType = .json
            let started = try await client.browser.request(.POST, "/api/v1/orders/\(third)/checkout", headers: headers,
                body: ByteBuffer(string: #"{"package":"basic","presets":["corporate-grey","executive-navy","modern-office"],"consent":true,"accept_fewer":true}"#))
            #expect(started.status == .created, "\(started.body.string.prefix(300))")
            let kept = try await UploadAsset.query(on: app.db).filter(\.$order.$id == UUID(uuidString: third)!).filter(\.$status != .deleted).all()
            #expect(kept.count == PhotoClient.personA.count && kept.allSatisfy { $0.originalFilename != "couple.jpg" })
        }
    }

    @Test func redirectsWithinTheSiteKeepTheBrowsersAddressAndOthersAreLeftAlone() {
        let base = URL(string: "http://localhost:8080")!
        #expect(SiteURL.sameSite("http://localhost:8080/sandbox/checkout/cs_1?x=1", base: base) == "/sandbox/checkout/cs_1?x=1")
        #expect(SiteURL.sameSite("https://checkout.stripe.com/c/pay/cs_live_1", base: base) == "https://checkout.stripe.com/c/pay/cs_live_1")
        #expect(SiteURL.sameSite("http://localhost:9090/x", base: base) == "http://localhost:9090/x", "another port is another site")
    }
}

@Suite("Drafts and the dashboard")
struct DraftTests {
    @Test func aDraftCanBeDiscardedWithItsPhotosAndTheDashboardNamesOrdersByDate() async throws {
        try await withTestApp { app, clock in
            let (client, user) = try await PhotoClient.make(app)
            let draft = try await client.createOrder()
            try await client.upload(fixture: PhotoClient.personA[0], to: draft)
            let draftID = try #require(UUID(uuidString: draft))
            #expect(try await !app.blobStore.list(prefix: PhotoKeys.scope(draftID) + "/").isEmpty)

            let started = try #require(try await Order.find(draftID, on: app.db)?.createdAt)
            let dashboard = try await client.browser.request(.GET, "/dashboard").body.string
            #expect(dashboard.contains("Order of " + DateText.long(started)) && !dashboard.contains(">" + draft.prefix(8).uppercased() + "<") && !dashboard.contains(">" + draft.prefix(8) + "<"), "orders by date, not hex")
            #expect(dashboard.contains("/orders/\(draft)/discard"))

            let discarded = try await client.browser.submit("/orders/\(draft)/discard", [:])
            #expect(discarded.status == .seeOther && discarded.headers.first(name: .location) == "/dashboard?notice=draft-discarded")
            #expect(try await Order.find(draftID, on: app.db)?.status == .deleted)
            #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(draftID) + "/").isEmpty)
            let uploads = try await UploadAsset.query(on: app.db).filter(\.$order.$id == draftID).all()
            #expect(!uploads.isEmpty && uploads.allSatisfy { $0.status == .deleted && $0.faceDescriptor == nil })

            // A paid order is not a draft: it is deleted through a deletion request instead; a stranger's is not found.
            let paid = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            #expect(try await client.api(.DELETE, "/orders/\(paid.$order.id.uuidString.lowercased())").status == .conflict)
            let other = try await client.createOrder()
            let (stranger, _) = try await PhotoClient.make(app)
            #expect(try await stranger.api(.DELETE, "/orders/\(other)").status == .notFound)
            #expect(try await client.api(.DELETE, "/orders/\(other)").status == .noContent)
        }
    }
}

/// Delivers the first `stopAfter` headshots as small real JPEGs, then waits until released: the
/// order stays "being made" with some headshots delivered, as a long render does.
struct HalfwayGenerator: Generator {
    let description = "halfway test generator"
    let stopAfter: Int
    let released = NIOLockedValueBox(false)

    func generate(_ work: GenerationWork, output: any HeadshotSink) async throws {
        for (position, index) in work.pending.enumerated() {
            while position >= stopAfter, !released.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
            let jpeg = try ImageResizer.flatJPEG(width: 400, height: 500, grey: UInt8(64 + index % 128))
            try await output.deliver(Headshot(index: index, preset: work.preset(for: index)?.rawValue ?? "corporate-grey", jpeg: jpeg,
                                              width: 400, height: 500, identityDistance: nil))
        }
    }
}

@Suite("Headshots as they are made")
struct LatestHeadshotsTests {
    @Test func theOrderPageShowsEachHeadshotAsItIsDeliveredAndOnlyToItsOwner() async throws {
        try await withTestApp { app, clock in
            let (client, user) = try await PhotoClient.make(app)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            let order = job.$order.id.uuidString.lowercased()
            let generator = HalfwayGenerator(stopAfter: 2)
            let worker = QueueWorker(app: app, generator: generator)
            let run = Task { try await worker.runOnce() }
            defer { generator.released.withLockedValue { $0 = true } }
            for _ in 0..<500 where try await GenerationJob.find(job.id, on: app.db)?.progressDone != 2 { try await Task.sleep(for: .milliseconds(20)) }

            let status = try await client.api(.GET, "/orders/\(order)/status")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(status.body.readableBytesView)) as? [String: Any])
            let latest = try #require(body["latest_headshots"] as? [String])
            #expect(body["status"] as? String == "processing" && body["done"] as? Int == 2 && latest.count == 2, "\(body)")
            let page = try await client.browser.request(.GET, "/orders/\(order)").body.string
            for id in latest { #expect(page.contains("/orders/\(order)/headshots/\(id.lowercased())/thumbnail")) }

            // The thumbnail is a 480 px JPEG crop (at most the headshot's width), to the owner only.
            let thumbnail = try await client.browser.request(.GET, "/orders/\(order)/headshots/\(latest[0])/thumbnail")
            #expect(thumbnail.status == .ok && thumbnail.headers.contentType == .jpeg)
            #expect(DownloadLinkTests.jpegSize(Array(thumbnail.body.readableBytesView))?.width == 400)
            #expect(thumbnail.headers.first(name: .cacheControl) == "private, no-store")
            #expect(try await client.api(.GET, "/orders/\(order)/headshots/\(latest[1])/thumbnail").status == .ok)
            let (stranger, _) = try await PhotoClient.make(app)
            #expect(try await stranger.browser.request(.GET, "/orders/\(order)/headshots/\(latest[0])/thumbnail").status == .notFound)
            #expect(try await client.browser.request(.GET, "/orders/\(order)/headshots/\(UUID())/thumbnail").status == .notFound)
            let draft = try await client.createOrder()
            #expect(try await client.browser.request(.GET, "/orders/\(draft)/headshots/\(latest[0])/thumbnail").status == .conflict)

            generator.released.withLockedValue { $0 = true }
            #expect(try await run.value)
            let done = try await client.api(.GET, "/orders/\(order)/status").body.string
            #expect(done.contains(#""status":"completed""#) && done.contains("latest_headshots"))
        }
    }
}

@Suite("Orders a person recognises")
struct OrderCoverTests {
    @Test func theDashboardShowsEachOrdersFirstHeadshotOrSelfieAndAPaidOrdersSelfiesCanBeSeen() async throws {
        try await withTestApp { app, clock in
            let (client, user) = try await PhotoClient.make(app)
            let completed = try await DeletionTests.completedOrder(app, user: user, clock: clock, selfies: 3, headshots: 2)
            let completedText = completed.uuidString.lowercased()
            let draft = try await client.createOrder()
            try await client.upload(fixture: PhotoClient.personA[0], to: draft)
            let photo = try #require(try await client.photoIDs(draft).first?.id)
            let first = try #require(try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == completed).filter(\.$sequence == 0).first())

            let dashboard = try await client.browser.request(.GET, "/dashboard").body.string
            let headshotCover = "/orders/\(completedText)/headshots/\(try first.requireID().uuidString.lowercased())/thumbnail"
            #expect(dashboard.contains(#"class="order-cover" src="\#(headshotCover)""#), "a completed order shows its first headshot")
            #expect(dashboard.contains(#"class="order-cover" src="/orders/\#(draft)/photos/\#(photo.lowercased())/thumbnail?size=256""#),
                    "a draft shows its first good selfie")
            #expect(try await client.browser.request(.GET, headshotCover).status == .ok)

            let list = try await client.api(.GET, "/orders").body.string
            #expect(list.contains(#""thumbnail_url":"\/api\/v1\/orders\/\#(completedText)\/headshots\/"#) && list.contains(#""label":"Order of "#), "\(list)")

            // The paid order's selfies can be looked at (not changed), with their deletion date and a way to delete them.
            let selfies = try await client.browser.request(.GET, "/orders/\(completedText)/photos")
            #expect(selfies.status == .ok)
            let page = selfies.body.string
            #expect(["me-0.jpg", "me-1.jpg", "me-2.jpg"].allSatisfy(page.contains) && page.contains("Your selfies"))
            #expect(page.contains("We delete them on") && page.contains("/deletions?") && page.contains("scope=selfies"))
            #expect(!page.contains("upload-form") && !page.contains("remove-photo"), "a paid order's photos cannot be changed")
            let (stranger, _) = try await PhotoClient.make(app)
            #expect(try await stranger.browser.request(.GET, "/orders/\(completedText)/photos").status == .notFound)
            #expect(!(try await stranger.browser.request(.GET, "/dashboard").body.string).contains(completedText), "only one's own orders are listed")

            let single = try await client.api(.GET, "/orders/\(completedText)").body.string
            #expect(single.contains(#""thumbnail_url":"\/api\/v1\/orders\/\#(completedText)\/headshots\/\#(try first.requireID().uuidString.lowercased())"#), "\(single)")
            // Once its entitlement is revoked (a refund), the order's headshots are no longer shown: its first selfie stands in.
            for entitlement in try await Entitlement.query(on: app.db).filter(\.$order.$id == completed).all() {
                entitlement.status = .revoked
                try await entitlement.save(on: app.db)
            }
            let firstSelfie = try #require(try await UploadAsset.query(on: app.db).filter(\.$order.$id == completed)
                .sort(\.$createdAt).sort(\.$id).first()).requireID().uuidString.lowercased()
            let after = try await client.browser.request(.GET, "/dashboard").body.string
            #expect(!after.contains(headshotCover))
            #expect(after.contains(#"class="order-cover" src="/orders/\#(completedText)/photos/\#(firstSelfie)/thumbnail?size=256""#), "\(after)")
        }
    }
}

@Suite("Help, terms and contact")
struct HelpAndContactTests {
    @Test func aProblemIsReportedFromTheOrderAndFromAHeadshotWithThemNamed() async throws {
        try await withTestApp { app, clock in
            let (client, orderID, _) = try await DownloadLinkTests.completedOrder(app, clock)
            let order = orderID.uuidString.lowercased()
            let gallery = try await client.browser.request(.GET, "/orders/\(order)/gallery").body.string
            let link = try Browser.extract(#"class="report-link" href="([^"]+)""#, from: gallery).replacingOccurrences(of: "&amp;", with: "&")
            #expect(link.hasPrefix("/contact?order_id=\(order)&about="))
            let form = try await client.browser.request(.GET, link).body.string
            #expect(form.contains("About Corporate Grey 1: </textarea>") || form.contains("About Bright White 1: </textarea>"), "the message names the headshot")
            #expect(form.contains(#"<option value="\#(order)" selected="selected">"#), "the order is chosen")
            let page = try await client.browser.request(.GET, "/orders/\(order)").body.string
            #expect(page.contains(#"id="report-order" href="/contact?order_id=\#(order)"#))
        }
    }

    @Test func everyPageLinksHelpTermsAndContactAndTheyStateTheRunningPolicies() async throws {
        try await withTestApp { app, _ in
            let browser = Browser(app)
            for path in ["/", "/styles", "/help", "/terms", "/contact", "/privacy", "/login", "/signup"] {
                let page = try await browser.request(.GET, path)
                #expect(page.status == .ok, "\(path)")
                for link in [#"href="/help""#, #"href="/terms""#, #"href="/contact""#, #"href="/privacy""#] {
                    #expect(page.body.string.contains(link), "\(path) links \(link)")
                }
            }
            let help = try await browser.request(.GET, "/help").body.string
            #expect(help.contains("It does not invent new poses") && help.contains("different picture"))
            #expect(help.contains("deleted \(app.config.retention.selfieDays) days after upload"))
            let terms = try await browser.request(.GET, "/terms").body.string
            for sentence in RefundPolicy.sentences {
                #expect(terms.contains(sentence.replacingOccurrences(of: "'", with: "&#x27;")) || terms.contains(sentence), "terms: \(sentence)")
            }
            #expect(RefundPolicy.sentences[2].contains("being made") && RefundPolicy.sentences[2].contains("delivered"))
            let landing = try await browser.request(.GET, "/").body.string
            #expect(landing.contains("once the first ones have been delivered"), "the turnaround line reads as a person would say it")
        }
    }

    @Test func aSignedInCustomerOpensATicketAboutAnOrderAndSeesItAndSomeoneSignedOutCanWrite() async throws {
        try await withTestApp { app, _ in
            let (client, user) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            let form = try await client.browser.request(.GET, "/contact?category=payment&order_id=\(order)").body.string
            #expect(form.contains(#"id="ticket-form""#) && form.contains(#"<option value="payment" selected="selected">"#))

            let short = try await client.browser.submit("/contact", ["category": "payment", "order_id": order, "message": "hi"])
            #expect(short.status == .unprocessableEntity && short.body.string.contains("at least 10 characters"))
            let foreign = try await client.browser.submit("/contact", ["category": "payment", "order_id": UUID().uuidString, "message": "Please refund my order."])
            #expect(foreign.status == .unprocessableEntity && foreign.body.string.contains("Choose one of your orders"))
            #expect(try await SupportTicket.query(on: app.db).count() == 0, "nothing half-written")

            let sent = try await client.browser.submit("/contact", ["category": "payment", "order_id": order, "message": "Please refund my order, I paid twice."])
            let ticket = try #require(try await SupportTicket.query(on: app.db).first())
            let ticketPath = "/support/\(try ticket.requireID().uuidString.lowercased())"
            #expect(sent.status == .seeOther && sent.headers.first(name: .location) == ticketPath + "?notice=sent")
            #expect(ticket.category == "payment" && ticket.$order.id == UUID(uuidString: order) && ticket.$user.id == user.id && ticket.status == .open)
            let thread = try await client.browser.request(.GET, ticketPath + "?notice=sent").body.string
            #expect(thread.contains(SupportRequests.reference(ticket)) && thread.contains("Received") && thread.contains("I paid twice"))
            let page = try await client.browser.request(.GET, "/contact").body.string
            #expect(page.contains("Your requests") && page.contains(SupportRequests.reference(ticket)) && page.contains(ticketPath))
            let confirmation = try #require(try await Fixtures.mail(app, to: user.email).last)
            #expect(confirmation.subject == "We've received your request" && confirmation.textBody.contains(SupportRequests.reference(ticket)))
            #expect(try await Fixtures.mail(app, to: app.config.supportEmail).count == 1)

            // The API twin.
            let api = try await client.browser.request(.POST, "/api/v1/support-tickets", json: ["category": "artefacts", "message": "A smudge on headshot 3."], headers: client.auth)
            #expect(api.status == .created && api.body.string.contains(#""reference":"HS-"#), "\(api.body.string)")
            let list = try await client.api(.GET, "/support-tickets").body.string
            #expect(list.contains("A smudge on headshot 3.") && list.contains("I paid twice"))
            #expect(try await client.browser.request(.POST, "/api/v1/support-tickets", json: ["category": "nonsense", "message": "A smudge on headshot 3."], headers: client.auth).status == .unprocessableEntity)

            // Signed out: a message to the support address, limited per client address.
            let anyone = Browser(app)
            #expect(try await anyone.request(.GET, "/contact").body.string.contains(#"id="contact-form""#))
            let message = try await anyone.submit("/contact", ["email": "locked.out@example.com", "message": "I cannot sign in any more."])
            #expect(message.status == .seeOther && message.headers.first(name: .location) == "/contact?notice=message-sent")
            let mails = try await Fixtures.mail(app, to: app.config.supportEmail)
            #expect(mails.contains { $0.subject == "Contact form: locked.out@example.com" && $0.textBody.contains("I cannot sign in any more.") })
            #expect(try await Fixtures.mail(app, to: "locked.out@example.com").isEmpty, "no mail to an address nobody proved")
            let twin = try await anyone.request(.POST, "/api/v1/contact-messages", json: ["email": "locked.out@example.com", "message": "Still locked out, please help."])
            #expect(twin.status == .accepted)
            var last = twin.status
            for _ in 0..<10 { last = try await anyone.request(.POST, "/api/v1/contact-messages", json: ["email": "x@example.com", "message": "Another message to support."]).status }
            #expect(last == .tooManyRequests)
        }
    }
}
