import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore
@testable import BlobStorage

/// Holes at the edge of the service: configuration production refuses, the client's address behind a
/// proxy, redirects after log-in, the CSRF cookie, and the operations endpoints.
@Suite("Edge hardening") struct EdgeHardeningTests {
    private let productionBase = ["BASE_URL": "https://h.example.com", "SECRET_KEY": String(repeating: "ab", count: 32), "SMTP_HOST": "mail"]

    private func problems(_ variables: [String: String]) -> [String] {
        do { _ = try AppConfig.load(environment: .production, variables: variables); return [] }
        catch let error as ConfigError { return error.problems.map(\.variable) }
        catch { return ["unexpected \(error)"] }
    }

    // 1. The sandbox gateway is refused in production unless a demo install says so, and then every page says it.
    @Test func productionRefusesTheSandboxGatewayUnlessADemoInstallAsksForIt() async throws {
        #expect(problems(productionBase) == ["PAYMENTS"], "no gateway named: production does not default to the sandbox")
        #expect(problems(productionBase.merging(["PAYMENTS": "sandbox"]) { $1 }) == ["PAYMENTS"])
        let demo = try AppConfig.load(environment: .production, variables: productionBase.merging(["PAYMENTS": "sandbox", "ALLOW_SANDBOX_IN_PRODUCTION": "true"]) { $1 })
        #expect(demo.payments == .sandbox && demo.isDemo)
        let stripe = try AppConfig.load(environment: .production, variables: productionBase.merging(
            ["PAYMENTS": "stripe", "STRIPE_SECRET_KEY": "sk_test_x", "STRIPE_WEBHOOK_SECRET": "whsec_x"]) { $1 })
        #expect(!stripe.isDemo)

        try await withTestApp(environment: .production, customize: { $0.baseURL = URL(string: "https://h.example.com")! }) { app, _ async throws in
            let browser = Browser(app)
            for path in ["/", "/login", "/signup"] {
                let page = try await browser.request(.GET, path)
                #expect(page.body.string.contains(#"id="demo-banner""#) && page.body.string.contains("no real payments"), "\(path)")
            }
            let user = try await Fixtures.user(app)
            try await Fixtures.logIn(browser, email: user.email)
            #expect(try await browser.request(.GET, "/dashboard").body.string.contains("no real payments"))
        }
        try await withTestApp { app, _ async throws in
            let page = try await Browser(app).request(.GET, "/")
            #expect(!page.body.string.contains("demo-banner"), "not a demo outside production")
        }
    }

    // 9. Behind N proxies the client's address is the entry the outermost proxy added, not the leftmost.
    @Test func clientAddressIsTheEntryOurProxyAddedNotOneTheClientWrote() async throws {
        #expect(RequestIDMiddleware.clientAddress(forwardedFor: ["6.6.6.6, 203.0.113.10"], proxyHops: 1) == "203.0.113.10")
        #expect(RequestIDMiddleware.clientAddress(forwardedFor: ["6.6.6.6", "203.0.113.10"], proxyHops: 1) == "203.0.113.10")
        #expect(RequestIDMiddleware.clientAddress(forwardedFor: ["6.6.6.6, 203.0.113.10, 10.0.0.2"], proxyHops: 2) == "203.0.113.10")
        #expect(RequestIDMiddleware.clientAddress(forwardedFor: ["6.6.6.6"], proxyHops: 0) == nil)
        #expect(try AppConfig.load(environment: .development, variables: ["TRUST_PROXY": "2", "SECRET_KEY": String(repeating: "ab", count: 32)]).proxyHops == 2)

        // Through the server: a spoofed leftmost entry changes nothing; sessions record the proxy's entry.
        try await withTestApp { app, _ async throws in
            let user = try await Fixtures.user(app)
            let browser = Browser(app)
            browser.ip = "6.6.6.\(Int.random(in: 1...254)), 198.51.100.7"
            try await Fixtures.logIn(browser, email: user.email)
            let attempts = try await LoginAttempt.query(on: app.db).all()
            #expect(attempts.map(\.ip) == ["198.51.100.7"])
        }
    }

    // 12. Only a path on this site may follow log-in, in every form browsers normalise.
    /// A full disk under the spool or the blobs is the service's condition, not a bug: 507 with the
    /// `storage_full` code and a sentence for people, never a 500 (`make proof`'s fault run fills a real one).
    @Test func aFullDiskAnswers507StorageFullNot500() async throws {
        try await withTestApp { app, _ in
            let request = Request(application: app, on: app.eventLoopGroup.next())
            errno = ENOSPC
            let full = PosixError("write /var/lib/headshot/tmp/upload-1")
            errno = EACCES
            let denied = PosixError("write /var/lib/headshot/tmp/upload-1")
            for error in [full as any Error, CocoaError(.fileWriteOutOfSpace), NSError(domain: NSPOSIXErrorDomain, code: Int(EDQUOT))] {
                let problem = AppErrorMiddleware.problem(for: error, request: request)
                #expect(problem.status == .insufficientStorage && problem.code == "storage_full" && problem.message.contains("nothing you sent was kept"))
            }
            #expect(AppErrorMiddleware.problem(for: denied, request: request).status == .internalServerError)
        }
    }

    @Test func postLoginRedirectStaysOnTheSite() async throws {
        let hostile = ["/\t/evil.com", "/\n/evil.com", "/\\evil.com", "//evil.com", "/%09/evil.com", "/%2F/evil.com",
                       "/%5Cevil.com", "https://evil.com", "/\r\n/evil.com", " /evil.com", "/%252F%252Fevil.com", "javascript:alert(1)"]
        for next in hostile { #expect(AuthPagesController.safeNext(next) == nil, "\(next.debugDescription)") }
        #expect(AuthPagesController.safeNext("/orders/42?tab=gallery") == "/orders/42?tab=gallery")

        try await withTestApp { app, _ async throws in
            let user = try await Fixtures.user(app)
            let browser = Browser(app)
            let response = try await browser.submit("/login", ["email": user.email, "password": Fixtures.password, "next": "/\t/evil.com"])
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/dashboard")
        }
    }

    // 13. The CSRF token is bound to the session and the seed replaced at log-in; over HTTPS the cookie is __Host-.
    @Test func csrfTokenIsBoundToTheSessionAndRotatedAtLogIn() async throws {
        try await withTestApp { app, _ async throws in
            let user = try await Fixtures.user(app)
            let browser = Browser(app)
            let before = try await browser.csrfToken()
            let seedBefore = browser.cookies["hs_csrf"]
            try await Fixtures.logIn(browser, email: user.email)
            #expect(browser.cookies["hs_csrf"] != nil && browser.cookies["hs_csrf"] != seedBefore, "log-in replaces the seed")
            let stale = try await browser.request(.POST, "/account/tokens", form: ["name": "x", CSRF.fieldName: before])
            #expect(stale.status == .forbidden, "a token from before log-in does not work in the session")

            // A token minted for another session with the same seed is refused too.
            let other = Browser(app)
            other.cookies = browser.cookies
            other.cookies.removeValue(forKey: SessionManager.cookieName)
            let anonymousToken = try await other.csrfToken()
            #expect(try await browser.request(.POST, "/account/tokens", form: ["name": "x", CSRF.fieldName: anonymousToken]).status == .forbidden)
            #expect(try await browser.submit("/account/tokens", ["name": "x"]).status != .forbidden)
        }
        try await withTestApp(customize: { $0.baseURL = URL(string: "https://h.example.com")! }) { app, _ async throws in
            let page = try await Browser(app).request(.GET, "/login")
            let cookie = page.headers[.setCookie].first { $0.hasPrefix("__Host-hs_csrf=") }
            #expect(cookie != nil, "\(page.headers[.setCookie])")
            #expect(cookie?.contains("Secure") == true && cookie?.contains("Path=/") == true && cookie?.contains("Domain") == false)
        }
    }

    // 15. The development outbox is development-only and local; /metrics can need a token; /readyz writes nothing.
    @Test func operationsEndpointsAreClosedToTheWorld() async throws {
        try await withTestApp { app, _ async throws in
            let outbox = try await Browser(app).request(.GET, "/dev/outbox")
            #expect(outbox.status == .notFound, "not in the testing environment")
        }
        try await withTestApp(environment: .development) { app, _ async throws in
            #expect(try await Browser(app).request(.GET, "/dev/outbox").status == .notFound, "a forwarded (non-local) client")
            let port = try freeLoopbackPort()
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            let socket = try RawSocket(port: port)
            _ = socket.send(Array("GET /dev/outbox HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
            let (arrived, text) = await socket.received(until: "outbox")
            #expect(arrived && text.hasPrefix("HTTP/1.1 200"), "a client on this machine: \(text.prefix(200))")
            socket.close()
            await app.server.shutdown()
        }
        try await withTestApp(customize: { $0.metricsToken = "metrics-token-0123456789" }) { app, _ async throws in
            let browser = Browser(app)
            #expect(try await browser.request(.GET, "/metrics").status == .unauthorized)
            #expect(try await browser.request(.GET, "/metrics", headers: ["Authorization": "Bearer wrong-token-0123456789"]).status == .unauthorized)
            #expect(try await browser.request(.GET, "/metrics", headers: ["Authorization": "Bearer metrics-token-0123456789"]).status == .ok)
        }
        try await withTestApp(environment: .production, customize: { $0.baseURL = URL(string: "https://h.example.com")! }) { app, _ async throws in
            #expect(try await Browser(app).request(.GET, "/metrics").status == .notFound, "production without a token: local clients only")
            let directory = app.config.dataDirectory
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let old = Date(timeIntervalSince1970: 1_000_000_000)
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: directory)
            for _ in 0..<3 { #expect(try await Browser(app).request(.GET, "/readyz").status == .ok) }
            let modified = try FileManager.default.attributesOfItem(atPath: directory)[.modificationDate] as? Date
            #expect(modified == old, "readiness wrote into the data directory")
        }
    }
}
