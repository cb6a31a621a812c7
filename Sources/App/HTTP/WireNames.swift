import Foundation
import Vapor

/// The one naming rule of everything the site sends and takes — JSON bodies, forms, query strings:
/// Swift's camelCase names are snake_case on the wire, with `ID`, `IDs` and `URL` as words
/// (`orderID` is `order_id`, `headshotIDs` is `headshot_ids`, `thumbnailURL` is `thumbnail_url`).
/// One configured encoder and decoder apply it, so types carry no hand-written keys; a name already
/// in snake_case (a dictionary key such as a KPI's) goes through unchanged.
enum WireNames {
    private static let acronyms = ["IDs", "ID", "URL"]

    /// `orderID` → `order_id`.
    static func snake(_ name: String) -> String {
        let chars = Array(name)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard c.isUppercase else { out.append(c); i += 1; continue }
            if !out.isEmpty { out.append("_") }
            if let acronym = acronyms.first(where: { isWord($0, in: chars, at: i) }) {
                out += acronym.lowercased()
                i += acronym.count
            } else {
                out += c.lowercased()
                i += 1
            }
        }
        return out
    }

    /// `order_id` → `orderID`: the inverse of `snake` for the names our types use.
    static func camel(_ name: String) -> String {
        let words = name.split(separator: "_", omittingEmptySubsequences: false)
        guard words.count > 1, let first = words.first, !first.isEmpty else { return name }
        return String(first) + words.dropFirst().map { word in
            acronyms.first { $0.lowercased() == word } ?? (word.prefix(1).uppercased() + word.dropFirst())
        }.joined()
    }

    /// Whether `acronym` starts at `i` and ends a word there (end of name, or a capital follows).
    private static func isWord(_ acronym: String, in chars: [Character], at i: Int) -> Bool {
        let end = i + acronym.count
        guard end <= chars.count, String(chars[i..<end]) == acronym else { return false }
        return end == chars.count || chars[end].isUppercase
    }

    private struct Key: CodingKey {
        let stringValue: String
        let intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
        init(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
    }

    /// The JSON encoder of every response and event stream.
    static func encoder(sorted: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .custom { path in
            guard let last = path.last, last.intValue == nil else { return path.last ?? Key(stringValue: "") }
            return Key(stringValue: snake(last.stringValue))
        }
        if sorted { encoder.outputFormatting = [.sortedKeys] }
        return encoder
    }

    /// The JSON decoder of every request body.
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.keyDecodingStrategy = .custom { path in
            guard let last = path.last, last.intValue == nil else { return path.last ?? Key(stringValue: "") }
            return Key(stringValue: camel(last.stringValue))
        }
        return decoder
    }

    /// Makes the rule the application's: JSON both ways, URL-encoded forms and query strings.
    static func install() {
        ContentConfiguration.global.use(encoder: encoder(), for: .json)
        ContentConfiguration.global.use(decoder: decoder(), for: .json)
        ContentConfiguration.global.use(decoder: FormDecoder(), for: .urlEncodedForm)
        ContentConfiguration.global.use(urlDecoder: FormDecoder())
    }

    /// Vapor's form decoder, with each snake_case field offered under its Swift name as well
    /// (`accept_fewer=1` also as `acceptFewer=1`, `headshot_ids[]=…` also as `headshotIDs[]=…`): typed
    /// decoding finds the Swift names, and a lookup by wire name (`req.query[…, at: "order_id"]`, the
    /// CSRF field) still finds the field it names. Values are untouched.
    struct FormDecoder: ContentDecoder, URLQueryDecoder {
        private let forms = URLEncodedFormDecoder()

        func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
            try decode(decodable, from: body, headers: headers, userInfo: [:])
        }

        func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders,
                                  userInfo: [CodingUserInfoKey: any Sendable]) throws -> D {
            let form = Self.renamed(String(decoding: body.readableBytesView, as: UTF8.self))
            return try forms.decode(decodable, from: ByteBuffer(string: form), headers: headers, userInfo: userInfo)
        }

        func decode<D: Decodable>(_ decodable: D.Type, from url: URI) throws -> D {
            try decode(decodable, from: url, userInfo: [:])
        }

        func decode<D: Decodable>(_ decodable: D.Type, from url: URI, userInfo: [CodingUserInfoKey: any Sendable]) throws -> D {
            var renamed = url
            renamed.query = url.query.map(Self.renamed)
            return try forms.decode(decodable, from: renamed, userInfo: userInfo)
        }

        /// `a_b=1&c_d[]=2` → `a_b=1&aB=1&c_d[]=2&cD[]=2`: each field's name up to its first bracket.
        static func renamed(_ form: String) -> String {
            form.split(separator: "&", omittingEmptySubsequences: false).flatMap { pair -> [String] in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let rawName = String(parts[0])
                let name = rawName.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? rawName
                let base = name.prefix { $0 != "[" }
                guard base.contains("_") else { return [String(pair)] }
                let renamed = camel(String(base)) + name.dropFirst(base.count)
                let encoded = renamed.addingPercentEncoding(withAllowedCharacters: .formName) ?? renamed
                return [String(pair), parts.count == 2 ? encoded + "=" + parts[1] : encoded]
            }.joined(separator: "&")
        }
    }
}

private extension CharacterSet {
    /// What a form field's name may hold unescaped here.
    static let formName = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~[]"))
}
