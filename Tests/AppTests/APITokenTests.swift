import Fluent
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

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
            // A token cannot mint further tokens: only a signed-in browser can.
            let minted = try await client.request(.POST, "/api/v1/me/tokens", json: ["name": "second"], headers: ["Authorization": "Bearer \(token)"])
            #expect(minted.status == .forbidden && minted.body.string.contains("session_required"))
            #expect(try await APIToken.query(on: app.db).filter(\.$name == "second").count() == 0)

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

    // 11. Every token expires (90 days unless asked, a year at most).
    @Test func personalTokensExpireNinetyDaysByDefaultAndAtMostAfterAYear() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let browser = Browser(app)
            try await Fixtures.logIn(browser, email: user.email)
            let headers: HTTPHeaders = [CSRF.headerName: try await browser.csrfToken()]
            let created = try await browser.request(.POST, "/api/v1/me/tokens", json: ["name": "default"], headers: headers)
            #expect(created.status == .created)
            let token = try created.content.decode(CreatedTokenDTO.self)
            #expect(token.details.expiresAt == clock.now().addingTimeInterval(90 * 86_400))
            let tooLong = try await browser.request(.POST, "/api/v1/me/tokens", json: CreateTokenRequest(name: "forever", expiresInDays: 366), headers: headers)
            #expect(tooLong.status == .unprocessableEntity)
            clock.advance(by: 90 * 86_400 + 1)
            #expect(try await Browser(app).request(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token.token)"]).status == .unauthorized)
        }
    }

    // 11. A password reset revokes personal tokens; a voluntary change does too unless the person keeps them.
    @Test func passwordResetRevokesPersonalTokensAndAChangeOffersToKeepThem() async throws {
        try await withTestApp { app, _ in
            let user = try await Fixtures.user(app)
            let now = app.clock.now()
            let (_, kept) = try await APITokens.issue(for: try user.requireID(), kind: .personal, name: "kept", expiresAt: now.addingTimeInterval(86_400), at: now, on: app.db)
            let browser = Browser(app)
            try await Fixtures.logIn(browser, email: user.email)
            let change = try await browser.submit("/account/password", ["current_password": Fixtures.password, "new_password": "another long passphrase", "keep_tokens": "true"])
            #expect(change.status == .seeOther)
            #expect(try await Browser(app).request(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(kept)"]).status == .ok, "kept on request")

            let change2 = try await browser.submit("/account/password", ["current_password": "another long passphrase", "new_password": "a third long passphrase"])
            #expect(change2.status == .seeOther)
            #expect(try await Browser(app).request(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(kept)"]).status == .unauthorized, "revoked by default")

            let (_, second) = try await APITokens.issue(for: try user.requireID(), kind: .personal, name: "second", expiresAt: now.addingTimeInterval(86_400), at: now, on: app.db)
            _ = try await Browser(app).submit("/password/forgot", ["email": user.email])
            let reset = try await Fixtures.mailedToken(app, to: user.email, path: "/password/reset")
            #expect(try await Browser(app).submit("/password/reset", ["token": reset, "password": "a fourth long passphrase"]).status == .seeOther)
            #expect(try await Browser(app).request(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(second)"]).status == .unauthorized, "a reset always revokes them")
        }
    }

    /// A hijacked manager's session minted a team token: the victim's password reset (or change,
    /// even keeping personal tokens) revokes it with every other kind, and the account page listed it.
    @Test func aPasswordResetOrChangeRevokesTeamTokensAndTheAccountPageListsEveryKind() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (owner, team) = try await TeamTests.team(app)
            let teamPath = "/teams/\(team.id.uuidString.lowercased())"
            func mint(_ name: String) async throws -> PhotoClient {
                let page = try await owner.browser.submit(teamPath + "/tokens", ["name": name])
                #expect(page.status == .created)
                return PhotoClient(browser: Browser(app), token: try Browser.extract(#"<code class="token">(hs_[A-Za-z0-9_\-]+)</code>"#, from: page.body.string))
            }
            let stolen = try await mint("Attacker's script")
            #expect(try await TeamTests.call(stolen, .GET, teamPath + "/members.csv").status == .ok)
            let account = try await owner.browser.request(.GET, "/account").body.string
            #expect(account.contains("Attacker&#39;s script") || account.contains("Attacker's script"), "the account page lists the team token")
            #expect(account.contains(#"<td class="token-kind">Team</td>"#) && account.contains(#"<td class="token-kind">API log-in</td>"#))

            // A change that keeps personal tokens still revokes the team token.
            let ownerID = try #require(try await Team.find(team.id, on: app.db)).$owner.id
            let email = try #require(try await User.find(ownerID, on: app.db)).email
            let change = try await owner.browser.submit("/account/password", ["current_password": Fixtures.password, "new_password": "another long passphrase",
                                                                              "keep_tokens": "true"])
            #expect(change.status == .seeOther)
            #expect(try await TeamTests.call(stolen, .GET, teamPath + "/members.csv").status == .unauthorized)

            // A reset revokes one minted since, as the attacker would after the change.
            try await Fixtures.logIn(owner.browser, email: email, password: "another long passphrase")
            let again = try await mint("Second try")
            #expect(try await TeamTests.call(again, .GET, teamPath + "/members.csv").status == .ok)
            _ = try await Browser(app).submit("/password/forgot", ["email": email])
            let reset = try await Fixtures.mailedToken(app, to: email, path: "/password/reset")
            #expect(try await Browser(app).submit("/password/reset", ["token": reset, "password": "a fourth long passphrase"]).status == .seeOther)
            #expect(try await TeamTests.call(again, .GET, teamPath + "/members.csv").status == .unauthorized)
            #expect(try await TeamTests.call(again, .POST, teamPath + "/invitation-links",
                                             InvitationLinkRequest(allowedDomain: nil, maxUses: nil, expiresInDays: nil)).status == .unauthorized)
            #expect(try await APIToken.query(on: app.db).filter(\.$revokedAt == nil).count() == 0, "no token of any kind survives the reset")
        }
    }
}
