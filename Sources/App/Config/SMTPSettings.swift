import Foundation

/// How to reach the SMTP relay that delivers our mail.
public struct SMTPSettings: Sendable, Equatable {
    public enum TLSMode: String, Sendable {
        /// Upgrade with STARTTLS and refuse to send if the server does not offer it.
        case required
        /// Upgrade with STARTTLS when offered (never send credentials in clear text, though).
        case opportunistic
        /// Plain connection: only for a relay on the same host.
        case none
    }

    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var tls: TLSMode
    /// PEM file of extra trusted certificate authorities (for a relay with a private CA).
    public var caFile: String?
    /// Name to present in EHLO.
    public var heloName: String

    public init(host: String, port: Int = 587, username: String? = nil, password: String? = nil,
                tls: TLSMode = .required, caFile: String? = nil, heloName: String = "localhost") {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.tls = tls
        self.caFile = caFile
        self.heloName = heloName
    }

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
