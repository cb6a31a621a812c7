import Fluent
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

@Suite("Login throttling") struct ThrottleTests {
    @Test func tenFailuresForOneAccountLockItFor15MinutesWithRetryAfter() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let browser = Browser(app)
            for attempt in 0..<LoginThrottle.perAccount {
                browser.ip = "198.51.100.\(attempt)"   // spread over addresses: the account limit must hold alone
                #expect(try await browser.submit("/login", ["email": user.email, "password": "wrong password \(attempt)"]).status == .unauthorized)
            }
            let locked = try await browser.submit("/login", ["email": user.email, "password": Fixtures.password])
            #expect(locked.status == .tooManyRequests)
            #expect(Int(locked.headers.first(name: "Retry-After") ?? "") == 900)
            let api = try await browser.request(.POST, "/api/v1/auth/token", json: ["email": user.email, "password": Fixtures.password])
            #expect(api.status == .tooManyRequests)
            #expect(api.headers.first(name: "Retry-After") != nil)

            clock.advance(by: 15 * 60 + 1)
            try await Fixtures.logIn(browser, email: user.email)
        }
    }

    @Test func fiftyFailuresFromOneAddressAreRefusedForAnyAccount() async throws {
        try await withTestApp { app, _ in
            let browser = Browser(app)
            let throttle = LoginThrottle(db: app.db)
            for index in 0..<LoginThrottle.perAddress {
                try await throttle.record(email: "victim\(index)@example.com", ip: browser.ip, succeeded: false, at: app.clock.now())
            }
            let response = try await browser.submit("/login", ["email": "someone-else@example.com", "password": "whatever password"])
            #expect(response.status == .tooManyRequests)
            browser.ip = "192.0.2.99"
            #expect(try await browser.submit("/login", ["email": "someone-else@example.com", "password": "whatever password"]).status == .unauthorized)
        }
    }

    @Test func unknownEmailsAreThrottledExactlyLikeKnownOnes() async throws {
        try await withTestApp { app, _ async throws in
            let browser = Browser(app)
            for attempt in 0..<LoginThrottle.perAccount {
                browser.ip = "198.51.100.\(attempt)"
                #expect(try await browser.submit("/login", ["email": "ghost@example.com", "password": "wrong password x"]).status == .unauthorized)
            }
            #expect(try await browser.submit("/login", ["email": "ghost@example.com", "password": "wrong password x"]).status == .tooManyRequests)
        }
    }
}
