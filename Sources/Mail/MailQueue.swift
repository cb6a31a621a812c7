import Foundation
import Logging
import NIOConcurrencyHelpers

/// Sends mail after the response has gone out, so a slow relay never delays a page and the time a
/// request takes does not reveal whether an email was sent (no account enumeration by timing).
/// Shutdown waits for messages in flight; `drain()` lets tests wait for them too.
public final class MailQueue: Sendable {
    private let mailer: any Mailer
    private let sender: String
    private let logger: Logger
    private let inFlight = NIOLockedValueBox<[UUID: Task<Void, Never>]>([:])

    public init(mailer: any Mailer, sender: String, logger: Logger) {
        self.mailer = mailer
        self.sender = sender
        self.logger = logger
    }

    public func enqueue(_ message: MailMessage) {
        let id = UUID()
        let mailer = self.mailer, sender = self.sender, logger = self.logger
        inFlight.withLockedValue { tasks in
            tasks[id] = Task { [weak self] in
                // One retry covers a relay that drops a connection now and then.
                for attempt in 1...2 {
                    do {
                        try await mailer.send(message, from: sender)
                        logger.info("mail sent", metadata: ["subject": .string(message.subject)])
                        break
                    } catch {
                        logger.error("mail delivery failed", metadata: ["attempt": .stringConvertible(attempt), "error": .string("\(error)")])
                        if attempt == 1 { try? await Task.sleep(for: .seconds(1)) }
                    }
                }
                _ = self?.inFlight.withLockedValue { $0.removeValue(forKey: id) }
            }
        }
    }

    /// Waits until every message enqueued so far has been sent or has failed.
    public func drain() async {
        while true {
            let tasks = inFlight.withLockedValue { Array($0.values) }
            if tasks.isEmpty { return }
            for task in tasks { await task.value }
        }
    }
}
