import HeadshotCore
import Vapor

/// The domain services as a request's handlers use them: on the request's database connection,
/// acting as the request's user.
extension AccountSettings {
    init(_ req: Request, services: AppServices) {
        self.init(db: req.db, clock: services.clock, actor: req.actor)
    }
}

extension Accounts {
    init(_ req: Request, services: AppServices) {
        self.init(db: req.db, context: services.domain, passwords: services.passwordHashing, actor: req.actor, requestID: req.requestID, clientIP: req.clientIP)
    }
}

extension SupportRequests {
    init(_ req: Request, services: AppServices) {
        self.init(db: req.db, context: services.domain, actor: req.actor, clientIP: req.clientIP)
    }
}

extension Reruns {
    init(_ req: Request, services: AppServices) {
        self.init(db: req.db, actor: req.actor, now: services.clock.now(), lock: services.sqliteWriteLock)
    }
}

extension StaffConsole {
    /// The console as the request's staff member uses it (their id on every audit event).
    init(_ req: Request, services: AppServices) {
        self.init(db: req.db, actor: req.actor, now: services.clock.now())
    }
}

extension Refunds {
    /// Refunds as a request's user (customer or staff) makes them, telling customers by email.
    init(_ req: Request, services: AppServices) {
        self.init(db: req.db, gateway: services.payments, actor: req.actor, now: services.clock.now(), lock: services.sqliteWriteLock,
                  mail: services.mail, baseURL: services.config.baseURL, remote: services.remote, store: services.blobStore)
    }
}

extension Request {
    /// The signed-in person's notifications (401 when signed out).
    func notifications() throws -> Notifications {
        Notifications(db: db, owner: try requireUser().requireID(), actor: actor)
    }
}
