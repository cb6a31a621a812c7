import Fluent
import Foundation
import Testing
import Vapor
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The gallery in Chromium: a completed order's headshots load, two are marked as favourites, the
/// favourites ZIP holds exactly those two files byte for byte as their single downloads, the
/// lightbox moves with the keyboard, and the preview frame shows the chosen headshot.
@Suite("Gallery in Chromium", .enabled(if: WebDriverSetup.available, "needs chromium and chromium-driver (make test installs them)"))
struct GalleryBrowserTests {
    @Test func favouritesDownloadAsAZipOfExactlyThoseHeadshotsAndThePreviewShowsTheChosenOne() async throws {
        try await withServedTestApp { app, clock, site, port in
            let user = try await Fixtures.user(app)
            user.displayName = "Ada Example"
            user.jobTitle = "Principal Engineer"
            try await user.save(on: app.db)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            try await GenerationJob.query(on: app.db).filter(\.$id == job.id!).set(\.$progressTotal, to: 3)
                .set(\.$payload, to: "corporate-grey,executive-navy").update()
            #expect(try await QueueWorker(app: app, generator: ProbeGenerator(perHeadshot: .zero)).runOnce())
            let gallery = site + "/orders/\(job.$order.id.uuidString.lowercased())/gallery"

            try await WebDriver.session(app, port: port, failureShot: "gallery-failure.png") { driver in
                try await driver.logIn(site: site, email: user.email)
                try await driver.open(gallery)
                try await driver.waitUntil("three loaded thumbnails") {
                    let images = try await driver.findAll(".gallery-grid img")
                    var loaded = 0
                    for image in images where (try await driver.property(image, "naturalWidth") as? Int ?? 0) > 0 { loaded += 1 }
                    return images.count == 3 && loaded == 3
                }

                // Two favourites, one click each (each is a form post that comes back to the gallery).
                for marked in 1...2 {
                    let star = try #require(try await driver.findAll(".headshot form.favourite button[aria-pressed=false]").first)
                    try await driver.click(star)
                    // The form posts and the gallery comes back with one more favourite.
                    try await driver.waitUntil("favourite \(marked)") { try await driver.findAll("button[aria-pressed=true]").count == marked }
                }
                try await driver.waitUntil("two favourites") { try await driver.findAll("button[aria-pressed=true]").count == 2 }
                let favouriteIDs = try await driver.findAll(".headshot:has(button[aria-pressed=true])").asyncMap { element in
                    ((try await driver.property(element, "id") as? String) ?? "").replacingOccurrences(of: "headshot-", with: "")
                }
                #expect(favouriteIDs.count == 2)
                try await driver.screenshot(to: WebDriverSetup.artifact("gallery-favourites.png"))

                // The browser's own session fetches the ZIP and the single downloads.
                let browser = Browser(app)
                browser.cookies = try await driver.cookies()
                // Each favourite's full-size download, as its own link serves it.
                var singles: [String: [UInt8]] = [:]
                for id in favouriteIDs {
                    let item = try await driver.find("#headshot-\(id) a.download-full")
                    let href = try #require(try await driver.property(item, "href") as? String)
                    let name = try #require(try await driver.property(item, "download") as? String)
                    let single = try await browser.request(.GET, String(href.dropFirst(site.count)))
                    #expect(single.status == .ok)
                    singles[name] = Array(single.body.readableBytesView)
                }
                // The ZIP of the favourites holds exactly those files, byte for byte.
                try await driver.withZip(behind: "#zip-favourites", site: site, fetch: Browser.fetch(app, cookies: browser.cookies)) { names, file throws in
                    #expect(names.sorted() == singles.keys.sorted())
                    for (name, bytes) in singles {
                        let entry = try Shell.run("unzip", ["-p", file, name]).data
                        #expect(Array(entry) == bytes, "\(name)")
                    }
                }

                // The lightbox opens on a click and moves with the arrow keys.
                try await driver.click(try await driver.find(".headshot a.open-lightbox"))
                try await driver.waitUntil("the lightbox") { try await driver.property(try await driver.find("#lightbox"), "open") as? Bool == true }
                #expect(try await driver.text(try await driver.find(".lightbox-caption")).contains("(1 of 3)"))
                try await driver.type(try await driver.find("#lightbox"), "\u{E014}")  // ArrowRight
                try await driver.waitUntil("the next headshot") { try await driver.text(try await driver.find(".lightbox-caption")).contains("(2 of 3)") }
                try await driver.click(try await driver.find(".lightbox-close"))

                // On a phone-sized window nothing overflows sideways and the grid shows two headshots side by side.
                try await driver.setWindowSize(width: 390, height: 844)
                try await driver.open(gallery)
                try await driver.waitUntil("the gallery on a phone") { try await driver.findAll(".gallery-grid li.headshot").count == 3 }
                let cells = try await driver.findAll(".gallery-grid li.headshot")
                let first = try await driver.rect(cells[0]), second = try await driver.rect(cells[1])
                #expect(abs(first.y - second.y) < 1 && second.x > first.x && second.x + second.width <= 390, "\(first) \(second)")
                let overflow = try await driver.execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth") as? Int
                #expect(overflow == 0, "the page scrolls sideways by \(overflow ?? -1) px on a 390 px screen")
                try await driver.screenshot(to: WebDriverSetup.artifact("gallery-phone.png"))
                try await driver.setWindowSize(width: 1280, height: 1800)

                // The preview frame shows the chosen headshot.
                let chosen = try #require(favouriteIDs.first)
                try await driver.click(try await driver.find("#headshot-\(chosen) a.preview-link"))
                try await driver.waitUntil("the preview") { try await driver.findAll("#profile-card").count == 1 }
                let photo = try await driver.find("#profile-card img.profile-photo")
                let source = (try await driver.property(photo, "src") as? String) ?? ""
                #expect(source.contains("/downloads/headshots/\(chosen)/square"))
                try await driver.waitUntil("the preview image") { (try await driver.property(photo, "naturalWidth") as? Int ?? 0) > 0 }
                let card = try await driver.text(try await driver.find("#profile-card"))
                #expect(card.contains("Ada Example") && card.contains("Principal Engineer"), "the customer's own name and title: \(card)")
                #expect(try await driver.findAll("#profile-hint").isEmpty)
                try await driver.screenshot(to: WebDriverSetup.artifact("gallery-preview.png"))

                // Share for 7 days: the link is listed with its expiry, and Copy puts it on the clipboard.
                try await driver.click(try await driver.find("#share-7"))
                try await driver.waitUntil("the share link") { try await driver.findAll("#sharing li.share").count == 1 }
                let shareURL = try #require(try await driver.property(try await driver.find("#sharing input.share-url"), "value") as? String)
                #expect(shareURL.contains("/shared/"))
                #expect(try await driver.text(try await driver.find("#sharing .share-expiry")).contains("Works until"))
                try await driver.setPermission("clipboard-read")
                try await driver.setPermission("clipboard-write")
                try await driver.click(try await driver.find("#sharing button.copy-share"))
                try await driver.waitUntil("Copied") { try await driver.text(try await driver.find("#sharing button.copy-share")) == "Copied" }
                let clipboard = try await driver.executeAsync("var done = arguments[0]; navigator.clipboard.readText().then(done, function (e) { done('error: ' + e); });") as? String
                #expect(clipboard == shareURL, "the clipboard holds \(clipboard ?? "nothing")")
                try await driver.screenshot(to: WebDriverSetup.artifact("share-copied.png"))

                // The gallery lists the order's live share links; revoking one there comes back to the gallery.
                try await driver.open(gallery)
                try await driver.waitUntil("the live share links") { try await driver.findAll("#live-shares li.share").count == 1 }
                try await driver.click(try await driver.find("#live-shares button.revoke"))
                try await driver.waitUntil("the share revoked") {
                    let onGallery = try await driver.currentURL.contains("/gallery")
                    let listed = try await driver.findAll("#live-shares").count
                    return onGallery && listed == 0
                }
            }
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
