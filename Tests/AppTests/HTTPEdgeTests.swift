import Foundation
import Fluent
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

@Suite("Bad requests get clear 4xx answers") struct HTTPEdgeTests {
    @Test func unknownRoutesAre404InHTMLAndJSON() async throws {
        try await withTestApp { app, _ in
            let page = try await Browser(app).request(.GET, "/no/such/page")
            #expect(page.status == .notFound)
            #expect(page.headers.contentType == .html)
            #expect(page.body.string.contains("We couldn't find that page"))
            let api = try await Browser(app).request(.GET, "/api/v1/nothing-here")
            #expect(api.status == .notFound)
            #expect(api.body.string.contains("\"code\":\"not_found\""))
        }
    }

    @Test func aKnownPathAskedWithAnotherMethodIs405WithAllow() async throws {
        try await withTestApp { app, _ in
            // The API: the orders collection is listed (GET) and added to (POST), never deleted as a whole.
            let api = try await Browser(app).request(.DELETE, "/api/v1/orders")
            #expect(api.status == .methodNotAllowed)
            #expect(api.headers.first(name: "Allow") == "GET, HEAD, POST")
            #expect(api.headers.contentType == .json && api.body.string.contains("DELETE is not allowed here"))
            // A page: the login form is shown and posted.
            let page = try await Browser(app).request(.PUT, "/login")
            #expect(page.status == .methodNotAllowed && page.headers.first(name: "Allow") == "GET, HEAD, POST")
            #expect(page.headers.contentType == .html)
            // A parameter segment matches any value; an unknown path stays 404.
            let order = try await Browser(app).request(.PUT, "/api/v1/orders/\(UUID().uuidString)/photos")
            #expect(order.status == .methodNotAllowed && order.headers.first(name: "Allow")?.contains("POST") == true)
            // A constant segment names its own resource: /photos/readiness is only read, although
            // /photos/{photoID} beside it is deleted.
            let readiness = try await Browser(app).request(.OPTIONS, "/api/v1/orders/\(UUID().uuidString)/photos/readiness")
            #expect(readiness.status == .methodNotAllowed && readiness.headers.first(name: "Allow") == "GET, HEAD")
            #expect(try await Browser(app).request(.DELETE, "/no/such/page").status == .notFound)
        }
    }

    @Test func malformedJSONIs400WithAMessage() async throws {
        try await withTestApp { app, _ in
            let response = try await Browser(app).request(.POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"],
                                                          body: ByteBuffer(string: "{\"email\": "))
            #expect(response.status == .badRequest)
            #expect(response.body.string.contains("not valid JSON"))
            let missing = try await Browser(app).request(.POST, "/api/v1/users", json: ["email": "a@example.com"])
            #expect(missing.status == .badRequest)
            #expect(missing.body.string.contains("Field 'password' is required."))
        }
    }

    /// Over a real socket: the limit is enforced while the body streams in.
    @Test func oversizedBodyIs413() async throws {
        try await withTestApp { app, _ in
            let big = String(repeating: "x", count: 200_000)
            let port = try freeLoopbackPort()
            let live = try app.testing(method: .running(hostname: "127.0.0.1", port: port))
            let body = ByteBuffer(data: try JSONEncoder().encode(["email": "a@example.com", "password": big]))
            try await live.test(.POST, "/api/v1/users", headers: ["Content-Type": "application/json"], body: body) { response in
                #expect(response.status == .payloadTooLarge)
                #expect(response.body.string.contains("payload_too_large"))
            }
            try await live.test(.POST, "/signup", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                body: ByteBuffer(string: "email=a%40example.com&password=" + big)) { response in
                #expect(response.status == .payloadTooLarge)
            }
            #expect(try await User.query(on: app.db).count() == 0)
        }
    }

    @Test func errorsNeverShowInternals() async throws {
        try await withTestApp { app, _ in
            let response = try await Browser(app).request(.POST, "/api/v1/me/tokens", json: ["name": "x"])
            #expect(response.status == .unauthorized)
            let text = response.body.string
            #expect(!text.contains("Swift") && !text.contains("Fluent") && !text.contains(".swift"))
            #expect(response.headers.first(name: "X-Request-ID") != nil)
        }
    }

    @Test func securityHeadersAreOnEveryResponse() async throws {
        try await withTestApp { app, _ in
            for path in ["/", "/login", "/no-such-page", "/api/v1/packages", "/healthz"] {
                let response = try await Browser(app).request(.GET, path)
                let csp = try #require(response.headers.first(name: "Content-Security-Policy"), "\(path)")
                #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"))
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "Referrer-Policy") != nil)
                #expect(response.headers.first(name: "Strict-Transport-Security") == nil, "no HSTS over plain http")
            }
        }
    }

    @Test func requestIDIsEchoedOrGenerated() async throws {
        try await withTestApp { app, _ in
            let echoed = try await Browser(app).request(.GET, "/healthz", headers: ["X-Request-ID": "abc-123"])
            #expect(echoed.headers.first(name: "X-Request-ID") == "abc-123")
            let hostile = try await Browser(app).request(.GET, "/healthz", headers: ["X-Request-ID": "<script>"])
            #expect(hostile.headers.first(name: "X-Request-ID") != "<script>")
        }
    }

    @Test func loginRedirectRefusesOtherSites() {
        #expect(AuthPagesController.safeNext("/account") == "/account")
        #expect(AuthPagesController.safeNext("//evil.example") == nil)
        #expect(AuthPagesController.safeNext("https://evil.example") == nil)
        #expect(AuthPagesController.safeNext("/\\evil.example") == nil)
    }
}
