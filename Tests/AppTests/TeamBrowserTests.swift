import BlobStorage
import Fluent
import Foundation
import Testing
import Vapor
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// A company's team end to end in Chromium, with the invitations read from the SMTP test server: the
/// owner buys 3 seats and invites two colleagues by email; both follow their link, log in, join,
/// upload their selfies and submit on a seat while the owner's dashboard follows their states live;
/// each shares one headshot with the team, and the owner downloads the team ZIP holding exactly those two.
// Run on SQLite only: the same flow is covered on PostgreSQL through the API (TeamTests), and a second
// Chromium run would add two minutes to CI for no database code the API tests do not reach.
@Suite("Teams in Chromium", .enabled(if: WebDriverSetup.available && TestSMTP.available && ProcessInfo.processInfo.environment["TEST_DATABASE"] != "postgres",
                                     "needs chromium, chromium-driver and the SMTP test server (make test provides them); SQLite run only"))
struct TeamBrowserTests {
    @Test func anOwnerBuysSeatsInvitesTwoColleaguesWhoJoinSubmitAndShareAndDownloadsTheTeamZIP() async throws {
        try await withServedTestApp(services: { TestSMTP.use(&$0, in: $1) }) { app, _, site, port in
            let owner = try await Fixtures.user(app, email: "owner-\(UUID().uuidString.prefix(6).lowercased())@acme.test")
            let suffix = UUID().uuidString.prefix(6).lowercased()
            let colleagues = ["ann-\(suffix)@acme.test", "bob-\(suffix)@acme.test"]
            for email in colleagues { try await Fixtures.user(app, email: email) }

            try await WebDriver.session(app, port: port, failureShot: "team-owner-failure.png") { driver in
                // The owner creates the team, keeps one style, and buys 3 Basic seats in the sandbox.
                try await driver.logIn(site: site, email: owner.email)
                try await driver.open(site + "/teams")
                try await driver.type(try await driver.find("#name"), "Acme")
                try await driver.click(try await driver.find("#create-team button"))
                try await driver.waitUntil("the team page") { try await driver.findAll("#seat-summary").count == 1 }
                let teamPath = try #require(URL(string: try await driver.currentURL)?.path)
                for preset in StylePreset.allCases where preset != .corporateGrey {
                    let box = try await driver.find("#team-preset-\(preset.rawValue)")
                    if try await driver.property(box, "checked") as? Bool == true { try await driver.click(box) }
                }
                try await driver.click(try await driver.find("#styles-form button"))
                try await driver.waitUntil("the styles saved") { try await driver.currentURL.contains("notice=styles") }
                try await driver.click(try await driver.find("#package option[value=basic]"))
                _ = try await driver.execute("document.getElementById('seats').value = '3'")
                try await driver.click(try await driver.find("#buy-seats-button"))
                try await driver.waitUntil("the sandbox's payment page") { try await driver.currentURL.hasPrefix(site + "/sandbox/checkout/") }
                try await driver.type(try await driver.find("#card_number"), "4242 4242 4242 4242")
                try await driver.click(try await driver.find("#pay"))
                try await driver.waitUntil("back on the team page") { try await driver.currentURL.contains(teamPath) }
                #expect(try await app.deliverSandboxWebhooks() == 1)
                try await driver.open(site + teamPath)
                #expect(try await driver.text(try await driver.find("#seat-summary")).contains("3 bought"))

                try await driver.type(try await driver.find("#emails"), colleagues.joined(separator: "\n"))
                try await driver.click(try await driver.find("#send-invitations"))
                try await driver.waitUntil("the invitations sent") { try await driver.currentURL.contains("notice=invited") }
                try await driver.screenshot(to: WebDriverSetup.artifact("team-dashboard-invited.png"))

                for (index, email) in colleagues.enumerated() {
                    // The personal link, from the mail the SMTP test server received.
                    let mail = try await TestSMTP.received(subject: "You're invited to make your headshots on Headshot Studio", to: email)
                    let link = try Browser.extract(#"(http://[^\s]+/join/hsi_[A-Za-z0-9_\-]+)"#, from: mail["text"] as? String ?? "")
                    let member = try await WebDriver(chromedriver: WebDriverSetup.chromedriver, chromium: WebDriverSetup.chromium)
                    do {
                        try await member.open(link)
                        #expect(try await member.text(try await member.find("#who-pays")).contains("Acme pays for your professional headshots"))
                        try await member.click(try await member.find("#join a.button"))
                        try await member.waitUntil("the login form") { try await member.findAll("#password").count == 1 }
                        try await member.type(try await member.find("#email"), email)
                        try await member.type(try await member.find("#password"), Fixtures.password)
                        try await member.click(try await member.find("main form button[type=submit]"))
                        try await member.waitUntil("back on the join page") { try await member.findAll("#accept-invitation").count == 1 }
                        try await member.click(try await member.find("#accept-invitation button"))
                        try await member.waitUntil("the team page") { try await member.currentURL.contains("notice=joined") }

                        // The owner's dashboard shows the member joined, without a reload once it is open.
                        try await driver.open(site + teamPath)
                        let state = "tr.member[data-email='\(email)'] .member-state"
                        try await driver.waitUntil("\(email) joined") { try await driver.text(try await driver.find(state)) == "Joined" }

                        try await member.click(try await member.find("#start-team-order button"))
                        try await member.waitUntil("the upload page") { try await member.findAll("#photo-input").count == 1 }
                        try await member.type(try await member.find("#photo-input"), PhotoClient.personA.map(CheckCommandTests.fixture).joined(separator: "\n"))
                        try await member.waitUntil("eight checked photos", seconds: 120) {
                            let cards = try await member.findAll(".photo-card").count
                            let busy = try await member.findAll("#photo-set[aria-busy]").count + (try await member.findAll("#upload-progress li").count)
                            return cards == 8 && busy == 0
                        }
                        try await driver.waitUntil("\(email) uploading, live") { try await driver.text(try await driver.find(state)) == "Uploading selfies" }

                        try await member.click(try await member.find("#continue"))
                        try await member.waitUntil("the order page") { try await member.findAll("#choose-team-styles").count == 1 }
                        #expect(try await member.findAll("#choose-basic").isEmpty, "a team order offers no packages to buy")
                        try await member.click(try await member.find("#choose-team-styles"))
                        try await member.waitUntil("the submit form") { try await member.findAll("#team-submit").count == 1 }
                        #expect(try await member.findAll("#team-submit input[name='presets[]']").count == 1, "only the team's style")
                        try await member.click(try await member.find("#consent"))
                        try await member.click(try await member.find("#submit-team-order"))
                        if index == 0 { try await member.screenshot(to: WebDriverSetup.artifact("team-member-submit.png")) }
                        // Eight photos give fewer different pictures in one style than Basic's 40: the member agrees to fewer.
                        try await member.waitUntil("the order page or the count") {
                            let fewer = try await member.findAll("#accept-fewer").count, form = try await member.findAll("#team-submit").count
                            return fewer == 1 || form == 0
                        }
                        if try await member.findAll("#accept-fewer").count == 1 {
                            try await member.click(try await member.find("#accept-fewer"))
                            try await member.click(try await member.find("#consent"))
                            try await member.click(try await member.find("#submit-team-order"))
                        }
                        try await member.waitUntil("the order queued") { try await member.findAll("#team-submit").isEmpty }
                        try await driver.waitUntil("\(email) in the queue, live") { try await driver.text(try await driver.find(state)) == "In the queue" }

                        // Made (by the probe generator, quickly), then done on the dashboard, live.
                        #expect(try await QueueWorker(app: app, generator: ProbeGenerator(perHeadshot: .zero)).runOnce())
                        try await driver.waitUntil("\(email) done, live") { try await driver.text(try await driver.find(state)) == "Done" }

                        // The member shares one headshot with the team.
                        try await member.open(site + teamPath)
                        try await member.waitUntil("the team headshot picker") { try await member.findAll("#team-headshot-form input[type=radio]").count > 1 }
                        let choices = try await member.findAll("#team-headshot-form input[type=radio]")
                        try await member.click(choices[index + 1])
                        try await member.click(try await member.find("#share-team-headshot"))
                        try await member.waitUntil("shared") { try await member.currentURL.contains("notice=shared") }
                    } catch {
                        try? await member.screenshot(to: WebDriverSetup.artifact("team-member-failure.png"))
                        await member.quit()
                        throw error
                    }
                    await member.quit()
                }

                // The owner downloads the team ZIP: exactly the two shared headshots, named after their people.
                try await driver.open(site + teamPath)
                try await driver.waitUntil("the team gallery") { try await driver.findAll("#team-gallery img").count == 2 }
                try await driver.screenshot(to: WebDriverSetup.artifact("team-dashboard-done.png"))
                let href = try #require(try await driver.property(try await driver.find("#team-zip"), "href") as? String)
                let base64 = try #require(try await driver.executeAsync("""
                    var done = arguments[arguments.length - 1];
                    fetch('\(href)', { credentials: 'same-origin' }).then(function (r) { return r.arrayBuffer(); }).then(function (buffer) {
                      var bytes = new Uint8Array(buffer), text = '';
                      for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
                      done(btoa(text));
                    }).catch(function (e) { done('error: ' + e); });
                    """) as? String)
                let file = NSTemporaryDirectory() + "team-\(UUID().uuidString).zip"
                defer { try? FileManager.default.removeItem(atPath: file) }
                try #require(Data(base64Encoded: base64)).write(to: URL(fileURLWithPath: file))
                #expect(try Shell.run("unzip", ["-tq", file]).status == 0)
                let names = try Shell.run("unzip", ["-Z1", file]).output.split(separator: "\n").map(String.init).sorted()
                #expect(names == colleagues.map { String($0.prefix { $0 != "@" }) + ".jpg" }.sorted(), "\(names)")
                let shared = try await TeamMember.query(on: app.db).filter(\.$teamHeadshotID != nil).all().compactMap(\.teamHeadshotID)
                #expect(shared.count == 2)
                for (name, id) in zip(names, try await Self.sharedByName(app, shared)) {
                    let asset = try #require(try await GeneratedAsset.find(id, on: app.db))
                    #expect(Array(try Shell.run("unzip", ["-p", file, name]).data) == (try await app.blobStore.read(try BlobKey(path: asset.blobKey))))
                }
            }
        }
    }

    /// The shared headshots in the order of their file names (members' address local parts).
    static func sharedByName(_ app: Application, _ ids: [UUID]) async throws -> [UUID] {
        var pairs: [(String, UUID)] = []
        for id in ids {
            let asset = try #require(try await GeneratedAsset.query(on: app.db).filter(\.$id == id).with(\.$order).first())
            let user = try #require(try await User.find(asset.order.$user.id, on: app.db))
            pairs.append((String(user.email.prefix { $0 != "@" }) + ".jpg", id))
        }
        return pairs.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
