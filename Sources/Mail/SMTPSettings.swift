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
}
