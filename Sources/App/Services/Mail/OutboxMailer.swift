import Fluent
import Foundation

/// Development delivery: messages are stored and listed at /dev/outbox instead of being sent.
struct OutboxMailer: Mailer {
    let database: @Sendable () -> any Database
    let clock: any WallClock

    func send(_ message: MailMessage, from sender: String) async throws {
        try await OutboxMessage(recipient: message.to, subject: message.subject, textBody: message.text, at: clock.now())
            .create(on: database())
    }
}
