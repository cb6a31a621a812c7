import Fluent
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

@Suite("Sessions and CSRF") struct SessionTests {
    @Test func loginRotatesTheSessionIdAndRevokesThePreviousOne() async throws {
        try await withTestApp { app, _ in
            let user = try await Fixtures.user(app)
            let browser = Browser(app)
            try await Fixtures.logIn(browser, email: user.email)
            let first = try #require(browser.cookies[SessionManager.cookieName])
            try await Fixtures.logIn(browser, email: user.email)
            let second = try #require(browser.cookies[SessionManager.cookieName])
            #expect(first != second)
            let replay = Browser(app)
            replay.cookies[SessionManager.cookieName] = first
            #expect(try await replay.request(.GET, "/dashboard").status == .seeOther)
        }
    }

    @Test func sessionCookieIsHttpOnlyLaxAndSecureOnlyOverHTTPS() async throws {
        try await withTestApp { app, _ in
            let user = try await Fixtures.user(app)
            let browser = Browser(app)
            let response = try await browser.submit("/login", ["email": user.email, "password": Fixtures.password])
            let cookie = try #require(response.headers[.setCookie].first { $0.hasPrefix(SessionManager.cookieName + "=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
        }
        try await withTestApp(customize: { $0.baseURL = URL(string: "https://headshots.example.com")! }) { app, _ in
            let user = try await Fixtures.user(app)
            let response = try await Browser(app).submit("/login", ["email": user.email, "password": Fixtures.password])
            let cookie = try #require(response.headers[.setCookie].first { $0.hasPrefix(SessionManager.cookieName + "=") })
            #expect(cookie.contains("Secure"))
            #expect(response.headers.first(name: "Strict-Transport-Security") != nil)
        }
    }

    @Test func sessionsExpireAfterTwoIdleHours() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let browser = Browser(app)
            try await Fixtures.logIn(browser, email: user.email)
            clock.advance(by: 2 * 3600 - 60)
            #expect(try await browser.request(.GET, "/dashboard").status == .ok)
            clock.advance(by: 2 * 3600 - 60)   // activity above moved the idle window
            #expect(try await browser.request(.GET, "/dashboard").status == .ok)
            clock.advance(by: 2 * 3600 + 1)
            #expect(try await browser.request(.GET, "/dashboard").status == .seeOther)
        }
    }

    @Test func sessionsEndAfterSevenDaysEvenWhenActive() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let browser = Browser(app)
            try await Fixtures.logIn(browser, email: user.email)
            for _ in 0..<(7 * 24 - 1) {
                clock.advance(by: 3600)
                #expect(try await browser.request(.GET, "/dashboard").status == .ok)
            }
            clock.advance(by: 3601)
            #expect(try await browser.request(.GET, "/dashboard").status == .seeOther)
        }
    }

    @Test func passwordChangeRevokesEveryOtherSession() async throws {
        try await withTestApp { app, _ in
            let user = try await Fixtures.user(app)
            let laptop = Browser(app), phone = Browser(app)
            try await Fixtures.logIn(laptop, email: user.email)
            try await Fixtures.logIn(phone, email: user.email)
            let changed = try await laptop.submit("/account/password", ["current_password": Fixtures.password, "new_password": "a brand new passphrase"])
            #expect(changed.status == .seeOther)
            #expect(try await laptop.request(.GET, "/account").status == .ok)
            #expect(try await phone.request(.GET, "/account").status == .seeOther)
            try await Fixtures.logIn(phone, email: user.email, password: "a brand new passphrase")
        }
    }

    @Test func formsWithoutOrWithForgedCSRFTokenAreRefusedWith403() async throws {
        try await withTestApp { app, _ in
            let user = try await Fixtures.user(app)
            let browser = Browser(app)
            try await Fixtures.logIn(browser, email: user.email)
            let missing = try await browser.request(.POST, "/account/tokens", form: ["name": "x"])
            #expect(missing.status == .forbidden)
            #expect(missing.body.string.contains("This form has expired"))
            let forged = try await browser.request(.POST, "/account/tokens", form: ["name": "x", CSRF.fieldName: "forged-token"])
            #expect(forged.status == .forbidden)
            // A token from another browser does not fit this browser's seed.
            let other = try await Browser(app).csrfToken()
            #expect(try await browser.request(.POST, "/account/tokens", form: ["name": "x", CSRF.fieldName: other]).status == .forbidden)
            #expect(try await browser.request(.POST, "/login", form: ["email": user.email, "password": Fixtures.password]).status == .forbidden)
            #expect(try await APIToken.query(on: app.db).count() == 0)
            // Cookie-authenticated API writes need the header too.
            let api = try await browser.request(.POST, "/api/v1/me/tokens", json: ["name": "x"])
            #expect(api.status == .forbidden)
            let withHeader = try await browser.request(.POST, "/api/v1/me/tokens", json: ["name": "x"],
                                                       headers: [CSRF.headerName: try await browser.csrfToken()])
            #expect(withHeader.status == .created)
        }
    }
}
