import Fluent
import Vapor

/// Fixed-window rate limits kept in the database, so every process of a scaled-out deployment
/// counts together.
struct RateLimiter {
    struct Rule {
        let bucket: String
        let limit: Int
        let window: TimeInterval
    }

    /// 60 uploads per user per 10 minutes: a set is 8–20 photos, so this leaves room for retakes
    /// while bounding what one account can make the imaging engine do.
    static let uploads = Rule(bucket: "upload", limit: 60, window: 600)

    let db: any Database

    /// Counts one action, or throws 429 with Retry-After when the subject is over the limit.
    func hit(_ rule: Rule, subject: String, at now: Date) async throws {
        let since = now.addingTimeInterval(-rule.window)
        let recent = try await RateEvent.query(on: db)
            .filter(\.$bucket == rule.bucket).filter(\.$subject == subject).filter(\.$createdAt > since)
            .sort(\.$createdAt, .ascending).all()
        if recent.count >= rule.limit {
            let oldest = recent.first?.createdAt ?? now
            let retry = max(1, Int((oldest.addingTimeInterval(rule.window).timeIntervalSince(now)).rounded(.up)))
            throw RateLimited(retryAfter: retry)
        }
        try await RateEvent(bucket: rule.bucket, subject: subject, at: now).create(on: db)
    }

    func prune(before now: Date, longestWindow: TimeInterval = 3600) async throws {
        try await RateEvent.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-longestWindow)).delete()
    }
}

struct RateLimited: DomainError {
    let retryAfter: Int
    var kind: FailureKind { .tooManyRequests(retryAfter: retryAfter) }
    var code: String { "rate_limited" }
    var reason: String { "You've uploaded a lot of photos in a short time. Please wait \(retryAfter / 60 + 1) minutes and try again." }
}
