import Foundation

/// The rules for free text and email addresses, written once so that what the server accepts and what
/// the OpenAPI document says it accepts are the same thing. Lengths count Unicode code points, as JSON
/// Schema's `minLength`/`maxLength` do; patterns use only syntax that ICU (the server), ECMA-262 (the
/// document's dialect) and Python (schemathesis) read alike: no `\s`, whose meaning differs between them.
package enum InputRules {
    /// Unicode's White_Space characters: what `trimmingCharacters(in: .whitespacesAndNewlines)` removes.
    package static let whitespace = #"\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"#
    /// C0 and C1 control characters and DEL.
    package static let controls = #"\u0000-\u001F\u007F-\u009F"#

    package static let emailMaxLength = 254
    /// An address: something, one `@`, a domain of dot-separated labels, no spaces, controls or angle
    /// brackets; surrounding white space is allowed (it is trimmed).
    package static let emailPattern: String = {
        let atom = "[^@<>\(controls)\(whitespace)]"
        let label = "[^@<>.\(controls)\(whitespace)]"
        return "^[\(whitespace)]*\(atom)+@\(label)+(\\.\(label)+)+[\(whitespace)]*$"
    }()
    /// The part of an address after the @ (a leading @ is allowed), or nothing.
    package static let domainPattern: String = {
        let label = "[^@<>.\(controls)\(whitespace)]"
        return "^[\(whitespace)]*(@?\(label)+(\\.\(label)+)+)?[\(whitespace)]*$"
    }()
    private static let emailRegex = try! NSRegularExpression(pattern: emailPattern)

    /// Whether `raw` (as sent) is an email address by these rules.
    package static func isEmail(_ raw: String) -> Bool {
        guard length(raw) <= emailMaxLength else { return false }
        return emailRegex.firstMatch(in: raw, range: NSRange(raw.startIndex..., in: raw)) != nil
    }

    package static func trimmed(_ raw: String) -> String { raw.trimmingCharacters(in: .whitespacesAndNewlines) }
    package static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// `nul`: the text holds U+0000, which no text we keep may hold (PostgreSQL refuses it in text).
    package enum Measure { case fits, tooShort, tooLong, nul }

    /// What a person is told about a NUL character in what they typed or pasted.
    package static let nulProblem = "Remove the invisible NUL character (it often comes with pasted text) and try again."

    /// Free text: at most `length.upperBound` code points as sent, at least `length.lowerBound` once
    /// trimmed, and no NUL.
    package static func measure(_ raw: String, _ length: ClosedRange<Int>) -> Measure {
        if Self.length(raw) > length.upperBound { return .tooLong }
        if raw.unicodeScalars.contains("\u{0}") { return .nul }
        if Self.length(trimmed(raw)) < length.lowerBound { return .tooShort }
        return .fits
    }

    /// What the person is told about free text that does not fit (`measure`), nil when it does: the NUL
    /// sentence for a NUL, otherwise the caller's sentence for too short or too long (`tooLong`
    /// defaults to `tooShort`, for a sentence that states both bounds).
    package static func problem(_ raw: String, _ length: ClosedRange<Int>, tooShort: String, tooLong: String? = nil) -> String? {
        switch measure(raw, length) {
        case .fits: nil
        case .nul: nulProblem
        case .tooShort: tooShort
        case .tooLong: tooLong ?? tooShort
        }
    }

    /// Whether a one-line value (a name, a job title) holds a control character once trimmed.
    package static func hasControls(_ raw: String) -> Bool {
        trimmed(raw).unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    // MARK: The same rules as JSON Schema

    package static var emailSchema: [String: Any] {
        ["type": "string", "maxLength": emailMaxLength, "pattern": emailPattern, "description": "An email address (surrounding spaces are trimmed)"]
    }

    /// Free text of `length` (see `measure`): no NUL anywhere, and at least that many code points from the
    /// first to the last character that is not white space.
    package static func textSchema(_ length: ClosedRange<Int>) -> [String: Any] {
        var schema: [String: Any] = ["type": "string", "maxLength": length.upperBound]
        let any = "[^\\u0000]", solid = "[^\\u0000\(whitespace)]"
        switch length.lowerBound {
        case ...0: schema["pattern"] = "^\(any)*$"
        case 1: schema["pattern"] = "^\(any)*\(solid)\(any)*$"
        case let minimum: schema["pattern"] = "^\(any)*\(solid)\(any){\(minimum - 2),}\(solid)\(any)*$"; schema["minLength"] = minimum
        }
        return schema
    }

    /// A one-line value of at most `maxLength` code points with no control characters once trimmed.
    package static func lineSchema(maxLength: Int, nullable: Bool = false) -> [String: Any] {
        ["type": nullable ? ["string", "null"] as Any : "string", "maxLength": maxLength,
         "pattern": "^[\(whitespace)]*[^\(controls)]*[\(whitespace)]*$"]
    }
}
