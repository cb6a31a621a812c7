import Fluent
import Vapor

/// The side effects the app depends on, injected through `Application` so tests can swap them.
extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }
    private struct ClockKey: StorageKey { typealias Value = any WallClock }
    private struct MailerKey: StorageKey { typealias Value = any Mailer }
    private struct MailQueueKey: StorageKey { typealias Value = MailQueue }
    private struct MetricsKey: StorageKey { typealias Value = AppMetrics }

    public var config: AppConfig {
        get {
            guard let config = storage[ConfigKey.self] else { fatalError("configure(_:) has not run") }
            return config
        }
        set { storage[ConfigKey.self] = newValue }
    }

    public var clock: any WallClock {
        get { storage[ClockKey.self] ?? SystemClock() }
        set { storage[ClockKey.self] = newValue }
    }

    /// Setting a mailer also replaces the queue that sends through it.
    public var mailer: any Mailer {
        get {
            guard let mailer = storage[MailerKey.self] else { fatalError("configure(_:) has not run") }
            return mailer
        }
        set {
            storage[MailerKey.self] = newValue
            storage[MailQueueKey.self] = MailQueue(mailer: newValue, sender: config.mailFrom, logger: logger)
        }
    }

    public var mailQueue: MailQueue {
        guard let queue = storage[MailQueueKey.self] else { fatalError("configure(_:) has not run") }
        return queue
    }

    public var appMetrics: AppMetrics {
        if let metrics = storage[MetricsKey.self] { return metrics }
        let metrics = AppMetrics()
        storage[MetricsKey.self] = metrics
        return metrics
    }

    public var secrets: Secrets { Secrets(config.secretKey) }
    public var passwordHashing: PasswordHashing { PasswordHashing(threadPool: threadPool) }
}

extension Request {
    public var clock: any WallClock { application.clock }
    public var passwordHashing: PasswordHashing { application.passwordHashing }
    public var config: AppConfig { application.config }
    public var now: Date { application.clock.now() }
}
