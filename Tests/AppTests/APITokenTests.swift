import Fluent
import Testing
import VaporTesting
@testable import App

@Suite("API access with bearer tokens") struct APITokenTests {
    @Test func personalTokenAuthenticatesUntilRevokedAndIsStoredHashed() async throws {
        try await withTestApp { app, _ in
            let user = try await Fixtures.user(app)
            let browser = Browser(app)
            try await Fixtures.logIn(browser, email: user.email)
            let page = try await browser.submit("/account/tokens", ["name": "CI uploads"])
            #expect(page.status == .created)
            let token = try Browser.extract(#"<code class="token">(hs_[A-Za-z0-9_\-]+)</code>"#, from: page.body.string)
            #expect(try await APIToken.query(on: app.db).filter(\.$tokenHash == token).count() == 0)

            let client = Browser(app)
            let me = try await client.request(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"])
            #expect(me.status == .ok)
            #expect(try me.content.decode(UserDTO.self).email == user.email)
            // Bearer calls need no CSRF token.
            let created = try await client.request(.POST, "/api/v1/me/tokens", json: ["name": "second"], headers: ["Authorization": "Bearer \(token)"])
            #expect(created.status == .created)

            let stored = try #require(try await APIToken.query(on: app.db).filter(\.$name == "CI uploads").first())
            #expect(try await browser.submit("/account/tokens/\(stored.requireID())/revoke", [:]).status == .seeOther)
            let revoked = try await client.request(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"])
            #expect(revoked.status == .unauthorized)
            #expect(revoked.body.string.contains("\"code\":\"unauthorized\""))
        }
    }

    @Test func apiLoginIssuesATokenAndLogoutRevokesIt() async throws {
        try await withTestApp { app, _ in
            let user = try await Fixtures.user(app)
            let client = Browser(app)
            let login = try await client.request(.POST, "/api/v1/auth/token", json: ["email": user.email, "password": Fixtures.password])
            #expect(login.status == .created)
            let token = try login.content.decode(LoginTokenDTO.self).token
            let auth: HTTPHeaders = ["Authorization": "Bearer \(token)"]
            #expect(try await client.request(.GET, "/api/v1/orders", headers: auth).status == .ok)
            #expect(try await client.request(.DELETE, "/api/v1/auth/token", headers: auth).status == .noContent)
            #expect(try await client.request(.GET, "/api/v1/orders", headers: auth).status == .unauthorized)
        }
    }

    @Test func anotherUsersTokenIdAnswers404() async throws {
        try await withTestApp { app, _ in
            let alice = try await Fixtures.user(app), bob = try await Fixtures.user(app)
            let (token, _) = try await APITokens.issue(for: try alice.requireID(), kind: .personal, name: "a", expiresAt: nil,
                                                       at: app.clock.now(), on: app.db)
            let (_, bobToken) = try await APITokens.issue(for: try bob.requireID(), kind: .personal, name: "b", expiresAt: nil,
                                                          at: app.clock.now(), on: app.db)
            let response = try await Browser(app).request(.DELETE, "/api/v1/me/tokens/\(try token.requireID())", headers: ["Authorization": "Bearer \(bobToken)"])
            #expect(response.status == .notFound)
            #expect(try await APIToken.find(token.id, on: app.db)?.revokedAt == nil)
        }
    }

    @Test func garbageBearerTokenIs401NotAnonymous() async throws {
        try await withTestApp { app, _ in
            let response = try await Browser(app).request(.GET, "/api/v1/packages", headers: ["Authorization": "Bearer hs_nonsense"])
            #expect(response.status == .unauthorized)
            #expect(try await Browser(app).request(.GET, "/api/v1/packages").status == .ok)
        }
    }
}
