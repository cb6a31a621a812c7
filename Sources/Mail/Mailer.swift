import Foundation

public struct MailMessage: Sendable, Equatable {
    public var to: String
    public var subject: String
    public var text: String

    public init(to: String, subject: String, text: String) {
        self.to = to
        self.subject = subject
        self.text = text
    }
}

/// Sends one message. Implementations: `SMTPMailer` for real delivery, `DevMailer` in development.
public protocol Mailer: Sendable {
    func send(_ message: MailMessage, from sender: String) async throws
}

public enum MailError: Error, CustomStringConvertible, Sendable {
    case connectionFailed(String)
    case unexpectedReply(command: String, code: Int, text: String)
    case tlsUnavailable
    case plaintextAuthenticationRefused
    case authenticationUnavailable
    case timedOut
    case invalidAddress(String)

    /// The relay could not be reached or did not answer: no fault of the message being sent.
    public var isRelayUnreachable: Bool {
        switch self {
        case .connectionFailed, .timedOut: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .connectionFailed(let detail): "could not connect to the mail relay: \(detail)"
        case .unexpectedReply(let command, let code, let text): "mail relay answered \(code) to \(command): \(text)"
        case .tlsUnavailable: "the mail relay does not offer STARTTLS, and SMTP_TLS=required"
        case .plaintextAuthenticationRefused: "the mail relay does not offer STARTTLS, so its password would travel in clear text; enable STARTTLS on the relay, or set SMTP_TLS=none if the relay is on this machine"
        case .authenticationUnavailable: "the mail relay offers neither AUTH PLAIN nor AUTH LOGIN"
        case .timedOut: "the mail relay did not answer in time"
        case .invalidAddress(let address): "'\(address)' is not a valid email address"
        }
    }
}
