import Fluent
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

@Suite("Sign-up, confirmation and log-in") struct SignUpTests {
    @Test func signUpConfirmLogOutAndLogInReachesTheDashboard() async throws {
        try await withTestApp { app, _ in
            let browser = Browser(app)
            let signUp = try await browser.submit("/signup", ["email": "New.Person@Example.com", "password": Fixtures.password])
            #expect(signUp.status == .accepted)
            #expect(signUp.body.string.contains("Check your email"))

            // Not confirmed yet: the right password is refused with a fresh link, and no session is made.
            let early = try await browser.submit("/login", ["email": "new.person@example.com", "password": Fixtures.password])
            #expect(early.status == .forbidden)
            #expect(browser.cookies[SessionManager.cookieName] == nil)

            let token = try await Fixtures.mailedToken(app, to: "new.person@example.com", path: "/verify-email")
            #expect(try await browser.request(.GET, "/verify-email?token=\(token)").status == .ok)
            let confirmed = try await browser.submit("/verify-email", ["token": token])
            #expect(confirmed.status == .seeOther)
            #expect(confirmed.headers.first(name: .location) == "/dashboard")
            #expect(try await browser.request(.GET, "/dashboard").status == .ok)

            #expect(try await browser.submit("/logout", [:]).status == .seeOther)
            let afterLogout = try await browser.request(.GET, "/dashboard")
            #expect(afterLogout.status == .seeOther)
            #expect(afterLogout.headers.first(name: .location)?.hasPrefix("/login") == true)

            try await Fixtures.logIn(browser, email: "NEW.person@example.com")
            let dashboard = try await browser.request(.GET, "/dashboard")
            #expect(dashboard.status == .ok)
            #expect(dashboard.body.string.contains("Your headshots"))
        }
    }

    @Test func theNameGivenAtSignUpAndTheJobTitleSetLaterAreTheOnesThePreviewsUse() async throws {
        try await withTestApp { app, _ in
            let browser = Browser(app)
            let signUp = try await browser.submit("/signup", ["name": "  Grace Example ", "email": "grace@example.com", "password": Fixtures.password])
            #expect(signUp.status == .accepted)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "grace@example.com").first())
            #expect(user.displayName == "Grace Example" && user.jobTitle == nil)
            let tooLong = try await browser.submit("/signup", ["name": String(repeating: "x", count: 81), "email": "long@example.com", "password": Fixtures.password])
            #expect(tooLong.status == .unprocessableEntity && tooLong.body.string.contains("80 characters or fewer"))

            // The account page's form and the API set and clear them.
            let (client, owner) = try await PhotoClient.make(app)
            let saved = try await client.browser.submit("/account/profile", ["name": "Ada Example", "job_title": "Principal Engineer"])
            #expect(saved.status == .seeOther && saved.headers.first(name: .location) == "/account?notice=profile-saved")
            let account = try await client.browser.request(.GET, "/account").body.string
            #expect(account.contains(#"value="Ada Example""#) && account.contains(#"value="Principal Engineer""#))
            let patched = try await client.browser.request(.PATCH, "/api/v1/me", json: ["job_title": "CTO"], headers: client.auth)
            #expect(patched.status == .ok && patched.body.string.contains(#""job_title":"CTO""#) && patched.body.string.contains(#""name":"Ada Example""#))
            let bad = try await client.browser.request(.PATCH, "/api/v1/me", json: ["name": "Ada\u{7}"], headers: client.auth)
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("letters, numbers and punctuation"))
            let cleared = try await client.browser.request(.PATCH, "/api/v1/me", json: ["name": ""], headers: client.auth)
            #expect(cleared.status == .ok && !cleared.body.string.contains("Ada"))
            let stored = try #require(try await User.find(owner.id, on: app.db))
            #expect(stored.displayName == nil && stored.jobTitle == "CTO")
        }
    }

    @Test(arguments: [
        ("short", "Use at least 12 characters"),
        (String(repeating: "abcd", count: 33), "at most 128"),
        ("aaaaaaaaaaaaaaaa", "repeats too few"),
    ])
    func passwordRulesAreEnforcedWithAClearMessage(password: String, message: String) async throws {
        try await withTestApp { app, _ in
            let browser = Browser(app)
            let response = try await browser.submit("/signup", ["email": "rules@example.com", "password": password])
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains(message))
            #expect(try await User.query(on: app.db).count() == 0)
        }
    }

    @Test func passwordsAreStoredAsBcryptAtCostTwelve() async throws {
        // The cost every deployment uses (other tests hash at bcrypt's lowest).
        try await withTestApp(services: { replacements, _ in replacements.bcryptCost = nil }) { app, _ in
            let browser = Browser(app)
            try await browser.submit("/signup", ["email": "hash@example.com", "password": Fixtures.password])
            let user = try #require(try await User.query(on: app.db).first())
            #expect(user.passwordHash.hasPrefix("$2b$12$"))
            #expect(!user.passwordHash.contains(Fixtures.password))
        }
    }

    @Test func signUpAnswersTheSameForAKnownEmail() async throws {
        try await withTestApp { app, _ in
            try await Fixtures.user(app, email: "taken@example.com")
            let fresh = try await Browser(app).submit("/signup", ["email": "fresh@example.com", "password": Fixtures.password])
            let taken = try await Browser(app).submit("/signup", ["email": "taken@example.com", "password": Fixtures.password])
            #expect(fresh.status == taken.status)
            #expect(Self.mainText(fresh.body.string).replacingOccurrences(of: "fresh@", with: "X@")
                    == Self.mainText(taken.body.string).replacingOccurrences(of: "taken@", with: "X@"))
            // The owner of the taken address is told, and no second account exists.
            let mail = try await Fixtures.mail(app, to: "taken@example.com")
            #expect(mail.first?.subject == "Someone tried to sign up with your email")
            #expect(try await User.query(on: app.db).filter(\.$email == "taken@example.com").count() == 1)
        }
    }

    @Test func logInAnswersTheSameForAnUnknownEmail() async throws {
        try await withTestApp { app, _ in
            try await Fixtures.user(app, email: "known@example.com")
            let known = try await Browser(app).submit("/login", ["email": "known@example.com", "password": "wrong password 123"])
            let unknown = try await Browser(app).submit("/login", ["email": "nobody@example.com", "password": "wrong password 123"])
            #expect(known.status == .unauthorized && unknown.status == .unauthorized)
            #expect(Self.mainText(known.body.string).replacingOccurrences(of: "known@", with: "X@")
                    == Self.mainText(unknown.body.string).replacingOccurrences(of: "nobody@", with: "X@"))

            let apiKnown = try await Browser(app).request(.POST, "/api/v1/auth/token", json: ["email": "known@example.com", "password": "wrong password 123"])
            let apiUnknown = try await Browser(app).request(.POST, "/api/v1/auth/token", json: ["email": "nobody@example.com", "password": "wrong password 123"])
            #expect(apiKnown.status == apiUnknown.status)
            #expect(Self.withoutRequestID(apiKnown.body.string) == Self.withoutRequestID(apiUnknown.body.string))
        }
    }

    /// The page's main content without per-request values (CSRF token).
    static func mainText(_ html: String) -> String {
        guard let start = html.range(of: "<main"), let end = html.range(of: "</main>") else { return html }
        return String(html[start.lowerBound..<end.upperBound])
            .replacingOccurrences(of: #"name="_csrf" value="[^"]*""#, with: "", options: .regularExpression)
    }

    static func withoutRequestID(_ json: String) -> String {
        json.replacingOccurrences(of: #""request_id":"[^"]*""#, with: "", options: .regularExpression)
    }
}
