import Fluent
import Foundation
import Mail

/// Development delivery: messages are stored and listed at /dev/outbox instead of being sent.
struct OutboxMailer: Mailer {
    let database: DatabaseProvider
    let clock: any WallClock

    func send(_ message: MailMessage, from sender: String) async throws {
        try await OutboxMessage(recipient: message.to, subject: message.subject, textBody: message.text, at: clock.now())
            .create(on: try database())
    }
}
