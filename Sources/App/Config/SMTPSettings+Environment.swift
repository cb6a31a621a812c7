import Foundation
import HeadshotCore
import Mail

extension SMTPSettings {
    /// The relay's settings from `SMTP_*` variables; every problem is reported with its variable.
    static func load(from variables: [String: String]) throws -> SMTPSettings {
        var problems: [ConfigError.Problem] = []
        func value(_ name: String) -> String? {
            guard let raw = variables[name], !raw.isEmpty else { return nil }
            return raw
        }
        var settings = SMTPSettings(host: value("SMTP_HOST") ?? "")
        if settings.host.isEmpty {
            problems.append(.init(variable: "SMTP_HOST", message: "is empty; set the mail relay's host name"))
        }
        if let raw = value("SMTP_PORT") {
            if let port = Int(raw), (1...65535).contains(port) { settings.port = port }
            else { problems.append(.init(variable: "SMTP_PORT", message: "'\(raw)' is not a port number (1–65535); usually 587")) }
        }
        settings.username = value("SMTP_USERNAME")
        settings.password = value("SMTP_PASSWORD")
        if (settings.username == nil) != (settings.password == nil) {
            problems.append(.init(variable: settings.username == nil ? "SMTP_USERNAME" : "SMTP_PASSWORD",
                                  message: "set both SMTP_USERNAME and SMTP_PASSWORD, or neither"))
        }
        if let raw = value("SMTP_TLS") {
            if let mode = TLSMode(rawValue: raw.lowercased()) { settings.tls = mode }
            else { problems.append(.init(variable: "SMTP_TLS", message: "'\(raw)' is not one of required, opportunistic, none")) }
        }
        if let path = value("SMTP_CA_FILE") {
            if FileManager.default.isReadableFile(atPath: path) { settings.caFile = path }
            else { problems.append(.init(variable: "SMTP_CA_FILE", message: "cannot read '\(path)'; give the path of a PEM certificate file")) }
        }
        settings.heloName = value("SMTP_HELO_NAME") ?? (ProcessInfo.processInfo.hostName.isEmpty ? "localhost" : ProcessInfo.processInfo.hostName)
        guard problems.isEmpty else { throw ConfigError(problems: problems) }
        return settings
    }
}
