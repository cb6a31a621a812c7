import Vapor

extension Application {
    private struct GatewayKey: StorageKey { typealias Value = any PaymentGateway }
    private struct TransportKey: StorageKey { typealias Value = any WebhookTransport }
    private struct FulfilmentLockKey: StorageKey { typealias Value = AsyncMutex }

    /// The payment provider; the sandbox unless a deployment configures Stripe.
    public var paymentGateway: any PaymentGateway {
        get {
            guard let gateway = storage[GatewayKey.self] else { fatalError("configure(_:) has not run") }
            return gateway
        }
        set { storage[GatewayKey.self] = newValue }
    }

    /// How the sandbox delivers its webhooks (HTTP to BASE_URL; tests deliver in memory).
    public var webhookTransport: any WebhookTransport {
        get { storage[TransportKey.self] ?? HTTPWebhookTransport(client: http.client.shared) }
        set { storage[TransportKey.self] = newValue }
    }

    /// Serialises fulfilment on SQLite (see `AsyncMutex`); nil on PostgreSQL, whose row locks suffice.
    var fulfilmentLock: AsyncMutex? {
        get { storage[FulfilmentLockKey.self] }
        set { storage[FulfilmentLockKey.self] = newValue }
    }

    var sandboxWebhookSecret: String {
        secrets.key(for: "sandbox-webhook").withUnsafeBytes { Data($0) }.base64EncodedString()
    }

    var sandboxWebhookURL: String { config.baseURL.absoluteString.trimmingSuffix("/") + "/webhooks/sandbox" }

    func usePayments() {
        if case .sqlite = config.database { fulfilmentLock = AsyncMutex() }
        switch config.payments {
        case .sandbox:
            useSandboxGateway()
            if config.isProduction { logger.warning("payments use the built-in sandbox: no real money is taken (set PAYMENTS=stripe)") }
        case .stripe(let settings):
            paymentGateway = StripeGateway(settings: settings, client: http.client.shared)
        }
    }

    func useSandboxGateway() {
        paymentGateway = SandboxGateway(database: { [unowned self] in self.db }, baseURL: config.baseURL, webhookSecret: sandboxWebhookSecret)
    }

    /// Sends the sandbox's due webhooks now (also run every few seconds by the background services).
    @discardableResult
    func deliverSandboxWebhooks() async throws -> Int {
        try await SandboxWebhooks.deliverDue(db: db, transport: webhookTransport, url: sandboxWebhookURL,
                                             secret: sandboxWebhookSecret, now: clock.now())
    }
}
