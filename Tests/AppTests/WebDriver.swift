import AsyncHTTPClient
import Foundation
import HeadshotTestSupport
import NIOCore
import Testing
import Vapor

/// A small W3C WebDriver client for Debian's chromedriver, driving a real headless Chromium.
final class WebDriver: @unchecked Sendable {
    // @unchecked: one test drives one browser, one command at a time.
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    private let process: Process
    private let base: String
    private var session = ""

    /// Starts chromedriver on a free port and opens a headless Chromium session; `acceptInsecureCerts`
    /// for a site behind a self-signed certificate (the scale-out topology's nginx).
    init(chromedriver: String, chromium: String, acceptInsecureCerts: Bool = false) async throws {
        let port = try freeLoopbackPort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: chromedriver)
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        base = "http://127.0.0.1:\(port)"
        var ready = false
        for _ in 0..<100 where !ready {
            ready = ((try? await call("GET", "/status"))?["ready"] as? Bool) == true
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard ready else { kill(process.processIdentifier, SIGKILL); throw TestFailure("chromedriver did not start") }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "acceptInsecureCerts": acceptInsecureCerts,
            "goog:chromeOptions": ["binary": chromium, "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1800",
            ]],
        ]]]
        let created = try await call("POST", "/session", capabilities)
        guard let id = (created["value"] as? [String: Any])?["sessionId"] as? String else {
            kill(process.processIdentifier, SIGKILL)
            throw TestFailure("no session: \(created)")
        }
        session = id
    }

    /// Ends the browser session and chromedriver (which ignores SIGTERM while it has children).
    func quit() async {
        _ = try? await call("DELETE", "/session/\(session)")
        _ = try? await call("GET", "/shutdown")
        for _ in 0..<50 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    func open(_ url: String) async throws { _ = try await command("POST", "/url", ["url": url]) }

    func find(_ css: String) async throws -> String {
        let value = try await command("POST", "/element", ["using": "css selector", "value": css])
        guard let element = (value as? [String: Any])?[Self.elementKey] as? String else { throw TestFailure("no element \(css): \(value ?? "nil")") }
        return element
    }

    func findAll(_ css: String) async throws -> [String] {
        let value = try await command("POST", "/elements", ["using": "css selector", "value": css])
        return ((value as? [[String: Any]]) ?? []).compactMap { $0[Self.elementKey] as? String }
    }

    func type(_ element: String, _ text: String) async throws {
        _ = try await command("POST", "/element/\(element)/value", ["text": text])
    }

    func click(_ element: String) async throws { _ = try await command("POST", "/element/\(element)/click", [:]) }

    func clear(_ element: String) async throws { _ = try await command("POST", "/element/\(element)/clear", [:]) }

    func text(_ element: String) async throws -> String {
        (try await command("GET", "/element/\(element)/text")) as? String ?? ""
    }

    func property(_ element: String, _ name: String) async throws -> Any? {
        try await command("GET", "/element/\(element)/property/\(name)")
    }

    /// Logs in through the real login form and waits for the dashboard.
    func logIn(site: String, email: String, password: String = Fixtures.password) async throws {
        try await open(site + "/login")
        try await type(try await find("#email"), email)
        try await type(try await find("#password"), password)
        try await click(try await find("main form button[type=submit]"))
        try await waitUntil("the dashboard") { try await currentURL.hasSuffix("/dashboard") }
    }

    /// Resizes the browser window (CSS pixels), e.g. to a phone's 390 × 844.
    func setWindowSize(width: Int, height: Int) async throws {
        _ = try await command("POST", "/window/rect", ["width": width, "height": height])
    }

    /// An element's position and size on the page.
    func rect(_ element: String) async throws -> (x: Double, y: Double, width: Double, height: Double) {
        let value = (try await command("GET", "/element/\(element)/rect") as? [String: Any]) ?? [:]
        func number(_ key: String) -> Double { (value[key] as? Double) ?? Double(value[key] as? Int ?? 0) }
        return (number("x"), number("y"), number("width"), number("height"))
    }

    /// Runs a script in the page and returns its result.
    func execute(_ script: String) async throws -> Any? {
        try await command("POST", "/execute/sync", ["script": script, "args": [Any]()])
    }

    /// Runs an asynchronous script (it calls `arguments[0]` with its result) and returns the result.
    func executeAsync(_ script: String) async throws -> Any? {
        try await command("POST", "/execute/async", ["script": script, "args": [Any]()])
    }

    /// Grants or denies a permission (such as "clipboard-read") to the current site.
    func setPermission(_ name: String, granted: Bool = true) async throws {
        _ = try await command("POST", "/permissions", ["descriptor": ["name": name], "state": granted ? "granted" : "denied"])
    }

    /// Signs the browser out of the current site by forgetting its cookies.
    func deleteCookies() async throws { _ = try await command("DELETE", "/cookie") }

    /// The browser's cookies for the current site, by name.
    func cookies() async throws -> [String: String] {
        let list = (try await command("GET", "/cookie") as? [[String: Any]]) ?? []
        return Dictionary(list.compactMap { cookie in
            guard let name = cookie["name"] as? String, let value = cookie["value"] as? String else { return nil }
            return (name, value)
        }, uniquingKeysWith: { first, _ in first })
    }

    var pageSource: String {
        get async throws { (try await command("GET", "/source")) as? String ?? "" }
    }

    var currentURL: String {
        get async throws { (try await command("GET", "/url")) as? String ?? "" }
    }

    /// A PNG of the viewport, written to `path`.
    func screenshot(to path: String) async throws {
        guard let base64 = try await command("GET", "/screenshot") as? String, let data = Data(base64Encoded: base64) else {
            throw TestFailure("no screenshot")
        }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// Polls `condition` until it holds (a page updated by script), for up to `seconds`.
    func waitUntil(_ what: String, seconds: Double = 60, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestFailure("timed out waiting for \(what)")
    }

    private func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        let answer = try await call(method, "/session/\(session)" + path, body)
        if let value = answer["value"] as? [String: Any], let error = value["error"] as? String {
            throw TestFailure("WebDriver \(method) \(path): \(error): \(value["message"] ?? "")")
        }
        return answer["value"]
    }

    private func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let data = try await response.body.collect(upTo: 64 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(data.readableBytesView))) as? [String: Any] ?? [:]
        // Commands answer {"value": …}; /status answers {"value": {"ready": …}}.
        if path == "/status" { return json["value"] as? [String: Any] ?? [:] }
        return json
    }
}

/// Fetches a path of the site under test as the browser would (with its cookies): status and body.
typealias SiteFetch = (_ path: String) async throws -> (status: UInt, body: Data)

extension Browser {
    /// This in-process client as a `SiteFetch`, carrying `cookies` (the browser's).
    static func fetch(_ app: Application, cookies: [String: String]) -> SiteFetch {
        { path in
            let browser = Browser(app)
            browser.cookies = cookies
            let response = try await browser.request(.GET, path)
            return (response.status.code, Data(response.body.readableBytesView))
        }
    }
}

extension WebDriver {
    /// The ZIP behind the link `selector` on the current page, fetched by `fetch` (carrying the
    /// browser's session) and checked whole by `unzip -t`: `body` gets its entry names and the file.
    func withZip<T>(behind selector: String, site: String, fetch: SiteFetch,
                    _ body: (_ names: [String], _ file: String) throws -> T) async throws -> T {
        let link = try #require(try await property(try await find(selector), "href") as? String)
        let zip = try await fetch(String(link.dropFirst(site.count)))
        #expect(zip.status == 200)
        let file = NSTemporaryDirectory() + "download-\(UUID().uuidString).zip"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try zip.body.write(to: URL(fileURLWithPath: file))
        #expect(try Shell.run("unzip", ["-tq", file]).status == 0)
        return try body(try Shell.run("unzip", ["-Z1", file]).output.split(separator: "\n").map(String.init), file)
    }

    /// Serves `app` on `port`, opens Chromium, runs `body`, and always closes both; on failure it
    /// keeps a screenshot named `failureShot` in the artifacts.
    static func session(_ app: Application, port: Int, failureShot: String, _ body: (WebDriver) async throws -> Void) async throws {
        try await app.server.start(address: .hostname("127.0.0.1", port: port))
        do {
            try await session(failureShot: failureShot, body)
        } catch {
            await app.server.shutdown()
            throw error
        }
        await app.server.shutdown()
    }

    /// Opens Chromium (for a site served elsewhere), runs `body`, and always closes it; on failure it
    /// keeps a screenshot named `failureShot` in the artifacts.
    static func session(failureShot: String, acceptInsecureCerts: Bool = false, _ body: (WebDriver) async throws -> Void) async throws {
        let driver = try await WebDriver(chromedriver: WebDriverSetup.chromedriver, chromium: WebDriverSetup.chromium,
                                         acceptInsecureCerts: acceptInsecureCerts)
        do {
            try await body(driver)
        } catch {
            try? await driver.screenshot(to: WebDriverSetup.artifact(failureShot))
            await driver.quit()
            throw error
        }
        await driver.quit()
    }
}
