import Foundation
import Mail

/// Development delivery (`SMTP_HOST` unset): nothing leaves the machine. The message is already a row
/// of the one mail table (`outgoing_mail`, written by `MailQueue.enqueue`); delivering it here only lets
/// the queue mark it sent, and `/dev/outbox` lists those rows with clickable links.
package struct DevMailer: Mailer {
    package init() {}
    package func send(_ message: MailMessage, from sender: String) async throws {}
}
