import Foundation

/// The SMTP test server that `make test` starts (aiosmtpd, Tests/Support/smtp_server.py): where it
/// listens and what it received. Each message it accepts is written as JSON into TEST_SMTP_MAILDIR.
public enum SMTPTestServer {
    public static let environment = ProcessInfo.processInfo.environment
    public static var available: Bool { environment["TEST_SMTP_PORT"] != nil }

    /// The message the server received with this subject (and recipient, when given), waiting up to 5 s.
    public static func received(subject: String, to recipient: String? = nil) async throws -> [String: Any] {
        guard let directory = environment["TEST_SMTP_MAILDIR"] else { throw NothingReceived(subject: subject) }
        for _ in 0..<50 {
            for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".json") {
                let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))
                if let record = try JSONSerialization.jsonObject(with: data) as? [String: Any], record["subject"] as? String == subject,
                   recipient == nil || (record["to"] as? [String])?.contains(recipient!) == true {
                    return record
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw NothingReceived(subject: subject)
    }

    public struct NothingReceived: Error, CustomStringConvertible {
        public let subject: String
        public var description: String { "no message with subject \(subject) arrived" }
    }
}
