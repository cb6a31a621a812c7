import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import App
import HeadshotCore
import Vapor

/// What the benchmarks behind `make bench` share: an application configured on a throwaway
/// database, and a process's resident memory read from /proc.
enum BenchmarkApp {
    /// Runs `body` with a configured, migrated application and one user in it, then shuts it down.
    /// `adjust` changes the configuration before the services are built (a generator, the base URL).
    static func with<T>(database: AppConfig.Database, dataDirectory: String, poolSize: Int = 4, storage: AppConfig.Storage = .local,
                        adjust: (inout AppConfig) -> Void = { _ in },
                        _ body: (Application, AppServices, User) async throws -> T) async throws -> T {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        var config = AppConfig(
            environment: .testing, dataDirectory: dataDirectory, database: database, baseURL: URL(string: "http://127.0.0.1")!,
            secretKey: SymmetricKeyBytes([UInt8](repeating: 1, count: 32)), mail: .outbox, mailFrom: "bench@example.com",
            runWorkers: false, generator: .none
        )
        config.databasePoolSize = poolSize
        config.storage = storage
        adjust(&config)
        do {
            let services = try AppServices.build(config, for: app)
            try await configure(app, services: services)
            try await app.autoMigrate()
            let user = User(email: "bench@example.com", passwordHash: "-", role: .user, passwordChangedAt: Date())
            try await user.create(on: app.db)
            let result = try await body(app, services, user)
            await app.server.shutdown()
            try await app.asyncShutdown()
            return result
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
    }
}

/// Resident and peak resident memory of a process (this one by default), in MB, from /proc (Linux).
enum ProcessMemory {
    static func current(pid: Int32? = nil) -> (rss: Double, peak: Double) {
        let status = (try? String(contentsOfFile: "/proc/\(pid.map(String.init) ?? "self")/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Double {
            let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
            return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    /// Writing "5" to clear_refs resets the peak (VmHWM) to the current size.
    static func resetPeak(pid: Int32? = nil) {
        try? "5".write(toFile: "/proc/\(pid.map(String.init) ?? "self")/clear_refs", atomically: false, encoding: .utf8)
    }
}

/// A benchmark that could not run as planned.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// JSON over HTTP to a running server, as API clients talk to it.
enum BenchHTTP {
    static func status(_ url: String) async throws -> Int {
        let (_, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    /// `rawBody` is sent as the JSON body when the body is more than strings.
    static func json(_ method: String, _ url: String, _ body: [String: String]?, token: String? = nil,
                     headers: [String: String] = [:], rawBody: Data? = nil) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let data = try rawBody ?? body.map({ try JSONSerialization.data(withJSONObject: $0) }) {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = data
        }
        let (data, _) = try await URLSession.shared.data(for: request)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }
}

extension BenchHTTP {
    /// A page's HTML and the cookies it set (as one `Cookie` header), as a browser fetches it.
    static func page(_ url: String) async throws -> (html: String, cookies: String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        let headers = (response as? HTTPURLResponse)?.allHeaderFields as? [String: String] ?? [:]
        let cookies = HTTPCookie.cookies(withResponseHeaderFields: headers, for: URL(string: url)!)
            .map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
        return (String(decoding: data, as: UTF8.self), cookies)
    }

    /// A form posted as a browser posts it; answers the status (redirects followed).
    @discardableResult
    static func form(_ url: String, _ fields: [String: String], cookies: String) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue(cookies, forHTTPHeaderField: "Cookie")
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        request.httpBody = Data(fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&").utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}

/// Which build a table was measured on: `make bench` runs the release build; the debug build (what
/// `make run` serves) renders at close to its speed, because the imaging work is optimised C and C++.
enum BuildKind {
    #if DEBUG
    static let name = "debug"
    #else
    static let name = "release"
    #endif
}
