import Fluent
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

@Suite("Password reset") struct PasswordResetTests {
    @Test func resetLinkWorksOnceAndSignsOutEverywhere() async throws {
        try await withTestApp { app, _ in
            let user = try await Fixtures.user(app)
            let other = Browser(app)
            try await Fixtures.logIn(other, email: user.email)

            let browser = Browser(app)
            let asked = try await browser.submit("/password/forgot", ["email": user.email])
            #expect(asked.status == .accepted)
            let token = try await Fixtures.mailedToken(app, to: user.email, path: "/password/reset")
            #expect(try await browser.submit("/password/reset", ["token": token, "password": "my new long passphrase"]).status == .seeOther)
            try await Fixtures.logIn(browser, email: user.email, password: "my new long passphrase")
            #expect(try await other.request(.GET, "/dashboard").status == .seeOther)

            let again = try await Browser(app).submit("/password/reset", ["token": token, "password": "another long passphrase"])
            #expect(again.status == .gone)
            try await Fixtures.logIn(Browser(app), email: user.email, password: "my new long passphrase")
        }
    }

    @Test func resetLinkExpiresAfter30Minutes() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            try await Browser(app).submit("/password/forgot", ["email": user.email])
            let token = try await Fixtures.mailedToken(app, to: user.email, path: "/password/reset")
            clock.advance(by: 30 * 60 + 1)
            let late = try await Browser(app).request(.POST, "/api/v1/auth/password-resets", json: ["token": token, "password": "my new long passphrase"])
            #expect(late.status == .gone)
            #expect(late.body.string.contains("invalid_link"))
            try await Fixtures.logIn(Browser(app), email: user.email)
        }
    }

    @Test func resetRequestsAnswerTheSameForUnknownEmails() async throws {
        try await withTestApp { app, _ in
            try await Fixtures.user(app, email: "real@example.com")
            let known = try await Browser(app).submit("/password/forgot", ["email": "real@example.com"])
            let unknown = try await Browser(app).submit("/password/forgot", ["email": "fake@example.com"])
            #expect(known.status == unknown.status)
            #expect(SignUpTests.mainText(known.body.string).replacingOccurrences(of: "real@", with: "X@")
                    == SignUpTests.mainText(unknown.body.string).replacingOccurrences(of: "fake@", with: "X@"))
            #expect(try await Fixtures.mail(app, to: "fake@example.com").isEmpty)
            #expect(try await Fixtures.mail(app, to: "real@example.com").count == 1)
        }
    }

    @Test func aWeakNewPasswordDoesNotSpendTheLink() async throws {
        try await withTestApp { app, _ in
            let user = try await Fixtures.user(app)
            try await Browser(app).submit("/password/forgot", ["email": user.email])
            let token = try await Fixtures.mailedToken(app, to: user.email, path: "/password/reset")
            #expect(try await Browser(app).submit("/password/reset", ["token": token, "password": "short"]).status == .unprocessableEntity)
            #expect(try await Browser(app).submit("/password/reset", ["token": token, "password": "long enough passphrase"]).status == .seeOther)
        }
    }
}
