import HeadshotCore
import Vapor

/// Query parameters read strictly: absent means the default, but one that is present and unreadable is
/// refused (422 naming it) rather than quietly ignored, as the OpenAPI document promises.
extension Request {
    /// Whether `name` appears in the query at all (`?name`, `?name=`, `?name=x`).
    func hasQuery(_ name: String) -> Bool {
        (url.query ?? "").split(separator: "&").contains { $0 == name || $0.hasPrefix(name + "=") }
    }

    /// A whole number in `range`, or nil when absent.
    func queryInteger(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard hasQuery(name) else { return nil }
        guard let value = query[String.self, at: name].flatMap({ Int($0) }), range.contains(value) else {
            throw AccountError.invalidInput([name: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)."])
        }
        return value
    }

    /// One of a fixed set of codes, or nil when absent.
    func queryChoice<Choice: RawRepresentable & CaseIterable>(_ name: String, as _: Choice.Type) throws -> Choice? where Choice.RawValue == String {
        guard hasQuery(name) else { return nil }
        guard let value = query[String.self, at: name].flatMap(Choice.init(rawValue:)) else {
            throw AccountError.invalidInput([name: "\(name) must be one of " + Choice.allCases.map(\.rawValue).joined(separator: ", ") + "."])
        }
        return value
    }
}
