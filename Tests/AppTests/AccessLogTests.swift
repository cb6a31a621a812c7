import Foundation
import Testing
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// No secret travels into the access log: `headshot serve`, run as a deployment runs it, logs an
/// invitation's `/join/hsi_…` (valid for up to 30 days) and any path segment shaped like one of our
/// tokens as `[redacted]`, and never a query string.
@Suite("Access log") struct AccessLogTests {
    @Test func invitationTokensAndOtherSecretsInPathsNeverReachTheAccessLog() async throws {
        let server = try await ServeShutdownTests.Server()
        defer { server.stop() }
        let invitation = "hsi_" + String(repeating: "Zq7", count: 12)
        let personal = "hs_" + String(repeating: "Xy9", count: 12)
        let requests = ["/join/\(invitation)", "/join/\(invitation)/extra", "/nowhere/\(personal)",
                        "/password/reset?token=query-secret-\(invitation)", "/login"]
        for path in requests {
            let socket = try RawSocket(port: server.port, timeout: 10)
            socket.send(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
            #expect(socket.receive().hasPrefix("HTTP/1.1 "), "\(path) was answered")
        }
        let logged = await eventually(10) { server.output.contains("GET /login") }
        #expect(logged, "the requests were logged:\n\(server.output.suffix(2000))")
        let output = server.output
        #expect(!output.contains(invitation) && !output.contains(personal) && !output.contains("query-secret"), "\(output.suffix(3000))")
        #expect(output.contains("GET /join/[redacted]\n") || output.contains("GET /join/[redacted] "), "the route's token parameter is redacted")
        #expect(output.contains("GET /join/[redacted]/extra") && output.contains("GET /nowhere/[redacted]"), "token-shaped segments are redacted")
        #expect(output.contains("GET /password/reset"), "the path is still logged, without its query")
    }

    @Test func onlySecretsAreRedactedFromALoggedPath() {
        #expect(AccessLogMiddleware.loggedPath("/orders/3f2a/gallery", route: ["orders", ":orderID", "gallery"]) == "/orders/3f2a/gallery")
        #expect(AccessLogMiddleware.loggedPath("/join/abc", route: ["join", ":token"]) == "/join/[redacted]")
        #expect(AccessLogMiddleware.loggedPath("/hs_short", route: []) == "/hs_short", "too short to be a token")
        #expect(AccessLogMiddleware.loggedPath("/headshots_are_great", route: []) == "/headshots_are_great")
    }
}
