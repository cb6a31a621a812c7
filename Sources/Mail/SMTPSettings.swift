import Foundation
import NIOCore

/// How to reach the SMTP relay that delivers our mail.
public struct SMTPSettings: Sendable, Equatable {
    public enum TLSMode: String, Sendable {
        /// Upgrade with STARTTLS and refuse to send if the server does not offer it.
        case required
        /// Upgrade with STARTTLS when offered; without it, mail goes in clear only when no credentials are
        /// configured (a password is never sent unencrypted in this mode).
        case opportunistic
        /// Plain connection, credentials included: only for a relay on the same host, and only when the
        /// operator says so explicitly.
        case none
    }

    public var host: String

    /// The relay is named by an IPv4 or IPv6 address rather than a host name.
    var hostIsIPAddress: Bool { (try? SocketAddress(ipAddress: host, port: 0)) != nil }
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
