import Foundation
import NIOCore
import NIOHTTP1
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// Shortcuts for the photo-flow tests: API logins, orders and uploads with real fixture photos.
struct PhotoClient {
    let browser: Browser
    let token: String

    /// A confirmed user, logged in through the API (bearer token) and through the login form (cookies).
    static func make(_ app: Application, email: String? = nil) async throws -> (PhotoClient, User) {
        let user = if let email { try await Fixtures.user(app, email: email) } else { try await Fixtures.user(app) }
        let browser = Browser(app)
        let login = try await browser.request(.POST, "/api/v1/auth/token", json: ["email": user.email, "password": Fixtures.password])
        #expect(login.status == .created)
        let token = try Browser.extract(#""token":"([^"]+)""#, from: login.body.string)
        try await Fixtures.logIn(browser, email: user.email)
        return (PhotoClient(browser: browser, token: token), user)
    }

    static func fixture(_ path: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: CheckCommandTests.fixture(path))))
    }

    var auth: HTTPHeaders { ["Authorization": "Bearer \(token)"] }

    @discardableResult
    func api(_ method: HTTPMethod, _ path: String) async throws -> TestingHTTPResponse {
        try await browser.request(method, "/api/v1" + path, headers: auth)
    }

    func createOrder() async throws -> String {
        let response = try await api(.POST, "/orders")
        #expect(response.status == .created)
        return try Browser.extract(#""id":"([0-9A-Fa-f-]+)""#, from: response.body.string).lowercased()
    }

    /// Uploads one photo as the raw body, as the page's script and API clients do.
    @discardableResult
    func upload(_ bytes: [UInt8], to order: String, filename: String, contentType: String = "image/jpeg") async throws -> TestingHTTPResponse {
        var headers = auth
        headers.replaceOrAdd(name: .contentType, value: contentType)
        headers.replaceOrAdd(name: "X-Filename", value: filename)
        return try await browser.request(.POST, "/api/v1/orders/\(order)/photos", headers: headers, body: ByteBuffer(bytes: bytes))
    }

    @discardableResult
    func upload(fixture: String, to order: String) async throws -> TestingHTTPResponse {
        try await upload(try Self.fixture(fixture), to: order, filename: (fixture as NSString).lastPathComponent)
    }

    func readiness(_ order: String) async throws -> [String: Any] {
        let response = try await api(.GET, "/orders/\(order)/photos/readiness")
        return try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
    }

    func photoIDs(_ order: String) async throws -> [(id: String, verdict: String, filename: String)] {
        let response = try await api(.GET, "/orders/\(order)/photos")
        let json = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
        return ((json?["photos"] as? [[String: Any]]) ?? []).map {
            (($0["id"] as? String) ?? "", ($0["verdict"] as? String) ?? "", ($0["filename"] as? String) ?? "")
        }
    }

    /// A multipart/form-data body with one `photos` part per file, and its Content-Type.
    static func multipart(_ files: [(String, [UInt8])]) -> ([UInt8], String) {
        let boundary = "----hs\(UUID().uuidString)"
        var body: [UInt8] = []
        for (filename, bytes) in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    static let personA = ["img1", "img10", "img11", "img2", "img4", "img5", "img6", "img7"].map { "faces/person-a/\($0).jpg" }
}
