import Foundation
import Testing
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The text and email rules the server applies are the ones the API document states (scripts/fuzz.sh
/// holds the server to the document; these pin the edges).
@Suite("Input rules") struct InputRulesTests {
    @Test(arguments: [
        ("ann@example.com", true), ("  Ann.Lee+tag@Example.co.uk \n", true), ("ann@localhost", false), ("ann@@example.com", false),
        ("@example.com", false), ("ann@.example.com", false), ("ann@example.com.", false), ("ann@exa..mple.com", false),
        ("ann lee@example.com", false), ("<ann@example.com>", false), ("ann\u{0}@example.com", false), ("ann\u{85}x@example.com", false),
        ("", false), (String(repeating: "a", count: 243) + "@example.com", false), (String(repeating: "a", count: 242) + "@example.com", true),
    ])
    func anAddressIsAcceptedExactlyWhenItMatchesTheDocumentedPattern(address: String, accepted: Bool) throws {
        #expect(InputRules.isEmail(address) == accepted)
        let documented = try NSRegularExpression(pattern: InputRules.emailPattern)
        let matches = documented.firstMatch(in: address, range: NSRange(address.startIndex..., in: address)) != nil
        #expect(matches && InputRules.length(address) <= InputRules.emailMaxLength || !accepted)
    }

    @Test func freeTextCountsCodePointsAsSentAndItsMinimumOnceTrimmed() {
        #expect(InputRules.measure("  0123456789  ", 10...20) == .fits)
        #expect(InputRules.measure("  012345678  ", 10...20) == .tooShort)
        #expect(InputRules.measure(String(repeating: "x", count: 18) + "   ", 10...20) == .tooLong)
        // "é" written as e + a combining accent is two code points, as JSON Schema counts it.
        #expect(InputRules.measure(String(repeating: "e\u{301}", count: 5), 10...20) == .fits)
        #expect(InputRules.hasControls("Ann\u{8B}") && !InputRules.hasControls(" Ann Lee\n") && InputRules.hasControls("Ann\tLee"))
    }

    @Test func theDocumentStatesTheSameLimits() throws {
        let schema = InputRules.textSchema(SupportRequests.messageLength)
        #expect(schema["maxLength"] as? Int == 5_000 && schema["minLength"] as? Int == 10)
        let pattern = try NSRegularExpression(pattern: try #require(schema["pattern"] as? String))
        for (text, fits) in [("  0123456789 ", true), (" 012345678\n ", false), ("0 \n \t \u{3000}  9", true), ("0123456789\u{0}", false)] {
            #expect((pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil) == fits, "\(text)")
            #expect((InputRules.measure(text, SupportRequests.messageLength) == .fits) == fits, "\(text)")
        }
    }

    /// PostgreSQL refuses U+0000 in text: a name or message holding one is refused with what to do (422),
    /// not a server error, and the document's pattern excludes it (found by the deep fuzzing).
    @Test func aNulCharacterInFreeTextIsRefusedWithWhatToDo() async throws {
        for lower in [0, 1, 10] {
            let pattern = try NSRegularExpression(pattern: try #require(InputRules.textSchema(lower...80)["pattern"] as? String))
            for (text, fits) in [("Acme design team", true), ("Acme\u{0}", false), ("\u{0}", false)] where lower <= 10 || fits {
                let matches = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                #expect(matches == (fits && InputRules.measure(text, lower...80) == .fits), "\(lower): \(text.debugDescription)")
            }
        }
        try await withTestApp { app, _ in
            let browser = Browser(app)
            let user = try await Fixtures.user(app)
            let login = try await browser.request(.POST, "/api/v1/auth/token", json: ["email": user.email, "password": Fixtures.password])
            let token = try login.content.decode(LoginTokenDTO.self).token
            let response = try await browser.request(.POST, "/api/v1/teams", json: ["name": "Acme\u{0} design"], headers: ["Authorization": "Bearer \(token)"])
            #expect(response.status == .unprocessableEntity && response.body.string.contains("NUL"), "\(response.status) \(response.body.string)")
            let reply = try await browser.request(.POST, "/api/v1/contact-messages", json: ["email": "ann@example.com", "message": "Hello there\u{0}, my order"])
            #expect(reply.status == .unprocessableEntity && reply.body.string.contains("NUL"), "\(reply.status) \(reply.body.string)")
        }
    }

    /// Staff's fields (a hold's reason, a package's name, a reply, the console's search) give the NUL
    /// sentence too, not their length sentence: one rule for every caller.
    @Test func everyFreeTextRuleNamesTheNulRatherThanTheLength() {
        #expect(LegalHolds.problem(with: "Court order 12\u{0}") == InputRules.nulProblem)
        #expect(LegalHolds.problem(with: "ab") == LegalHolds.reasonProblem)
        #expect(LegalHolds.problem(with: "Court order 12") == nil)
        #expect(SupportRequests.problem(with: "Hello there\u{0}, my order") == InputRules.nulProblem)
        #expect(InputRules.problem("Studio\u{0}", 2...40, tooShort: "Use 2–40 characters.") == InputRules.nulProblem)
        #expect(InputRules.problem("S", 2...40, tooShort: "short", tooLong: "long") == "short")
        #expect(InputRules.problem(String(repeating: "S", count: 41), 2...40, tooShort: "short", tooLong: "long") == "long")
        #expect(InputRules.problem(String(repeating: "S", count: 41), 2...40, tooShort: "2–40") == "2–40")
    }

    /// An address's length counts the white space around it as sent, as the document's `maxLength` does
    /// (found by the deep fuzzing: 250 characters after 10 spaces were taken as an address).
    @Test func anAddressLongerThanTheLimitAsSentIsRefusedEvenIfItFitsOnceTrimmed() async throws {
        let address = String(repeating: "\u{85}", count: 10) + String(repeating: "a", count: 238) + "@example.com"
        #expect(InputRules.length(InputRules.trimmed(address)) <= InputRules.emailMaxLength && InputRules.length(address) > InputRules.emailMaxLength)
        try await withTestApp { app, _ in
            for path in ["/api/v1/auth/password-reset-requests", "/api/v1/contact-messages"] {
                let response = try await Browser(app).request(.POST, path, json: ["email": address, "message": "Please help with my account."])
                #expect(response.status == .unprocessableEntity, "\(path): \(response.status)")
            }
        }
    }

    @Test func tokensAreDigestedAsLowercaseHexAndEncodedAsUnpaddedBase64URL() {
        // SHA-256("abc") from FIPS 180-2's example.
        #expect(SecureToken.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // Bytes whose base64 holds "+", "/" and padding: "+/8=" and "++//AQ==".
        #expect(SecureToken.base64URL(Data([0xFB, 0xFF])) == "-_8")
        #expect(SecureToken.base64URL(Data([0xFB, 0xEF, 0xFF, 0x01])) == "--__AQ")
        #expect(Data(base64URL: SecureToken.base64URL(Data([0xFB, 0xEF, 0xFF, 0x01]))) == Data([0xFB, 0xEF, 0xFF, 0x01]))
    }
}
