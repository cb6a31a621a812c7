import Foundation
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

@Suite("OpenAPI document") struct OpenAPITests {
    @Test func documentListsExactlyTheRegisteredAPIRoutes() async throws {
        try await withTestApp { app, _ in
            let registered = Set(app.routes.all.compactMap { route -> String? in
                let parts = route.path.map(\.description)
                guard parts.starts(with: ["api", "v1"]) else { return nil }
                let path = "/" + parts.dropFirst(2).map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : $0 }.joined(separator: "/")
                return "\(route.method.rawValue.lowercased()) \(path)"
            })
            let response = try await Browser(app).request(.GET, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
            #expect(registered.subtracting(documented).isEmpty, "routes missing from the document: \(registered.subtracting(documented))")
            #expect(documented.subtracting(registered).isEmpty, "documented but not served: \(documented.subtracting(registered))")
        }
    }

    @Test func everySchemaReferenceResolves() async throws {
        try await withTestApp { app, _ in
            let text = try await Browser(app).request(.GET, "/api/v1/openapi.json").body.string
            let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let references = try NSRegularExpression(pattern: "#/components/schemas/([A-Za-z]+)")
                .matches(in: text, range: NSRange(text.startIndex..., in: text))
                .map { String(text[Range($0.range(at: 1), in: text)!]) }
            #expect(!references.isEmpty)
            for name in references { #expect(schemas[name] != nil, "unresolved $ref \(name)") }
        }
    }
}
