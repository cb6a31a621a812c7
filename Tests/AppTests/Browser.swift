import Foundation
import NIOHTTP1
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// A cookie-keeping client for the in-memory app, so tests act like a person in a browser.
final class Browser {
    let app: Application
    var cookies: [String: String] = [:]
    /// The address the requests appear to come from (TRUST_PROXY is on in tests).
    var ip = "203.0.113.10"

    init(_ app: Application) { self.app = app }

    @discardableResult
    func request(_ method: HTTPMethod, _ path: String, form: [String: String]? = nil, json: (any Encodable)? = nil,
                 headers extra: HTTPHeaders = [:], body rawBody: ByteBuffer? = nil) async throws -> TestingHTTPResponse {
        var headers = extra
        headers.replaceOrAdd(name: "X-Forwarded-For", value: ip)
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        var body = rawBody ?? ByteBuffer()
        if let form {
            headers.contentType = .urlEncodedForm
            body = ByteBuffer(string: Self.encode(form))
        } else if let json {
            headers.contentType = .json
            body = ByteBuffer(data: try JSONEncoder().encode(json))
        }
        let response = try await app.testing().performTest(request: .init(method: method, url: .init(path: path), headers: headers, body: body))
        for value in response.headers[.setCookie] {
            let pair = value.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]), cookieValue = pair.count > 1 ? String(pair[1]) : ""
            if cookieValue.isEmpty || value.contains("Max-Age=0") { cookies.removeValue(forKey: name) }
            else { cookies[name] = cookieValue }
        }
        return response
    }

    /// The CSRF token a page would embed (fetching a page first gives the browser its seed cookie).
    func csrfToken() async throws -> String {
        let page = try await request(.GET, "/")
        return try Self.extract(#"name="csrf-token" content="([^"]+)""#, from: page.body.string)
    }

    /// Posts a form the way the page would, with its CSRF token.
    @discardableResult
    func submit(_ path: String, _ fields: [String: String]) async throws -> TestingHTTPResponse {
        var fields = fields
        fields[CSRF.fieldName] = try await csrfToken()
        return try await request(.POST, path, form: fields)
    }

    static func encode(_ form: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    static func extract(_ pattern: String, from text: String) throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        guard let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { throw TestFailure("no match for \(pattern)") }
        return String(text[range])
    }
}
