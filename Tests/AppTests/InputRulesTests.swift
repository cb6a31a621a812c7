import Foundation
import Testing
@testable import App

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
        for (text, fits) in [("  0123456789 ", true), (" 012345678\n ", false), ("0 \n \t \u{3000}  9", true)] {
            #expect((pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil) == fits, "\(text)")
            #expect((InputRules.measure(text, SupportRequests.messageLength) == .fits) == fits, "\(text)")
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
