import Foundation

/// What kind of failure a domain error is. Services say only this; the edge (`AppErrorMiddleware`)
/// alone decides the HTTP status and headers, for pages and the API alike.
package enum FailureKind: Sendable, Equatable {
    /// The input is wrong; the message says how to fix it.
    case invalid
    /// The request is malformed or incomplete (no file, too many files).
    case badRequest
    /// Not there, or not the caller's: the two look the same.
    case notFound
    /// Not possible in the current state.
    case conflict
    /// Was there, is no more (an expired or used link).
    case gone
    case tooLarge
    case tooManyRequests(retryAfter: Int)
    /// Who the caller is could not be established (wrong password, bad token).
    case unauthorized
    /// The caller is known but may not do this yet.
    case forbidden
    /// A provider we depend on failed; nothing was done.
    case upstream
}

/// An error that knows its stable machine-readable code for API clients.
package protocol CodedError: Error {
    var code: String { get }
}

/// A failure a person can act on: its kind, a stable code for API clients and a message written for people.
package protocol DomainError: CodedError {
    var kind: FailureKind { get }
    var reason: String { get }
}

/// A one-off failure of a kind, with its message (and the kind's usual code unless one is given).
package struct Failure: DomainError {
    package let kind: FailureKind
    package let reason: String
    package let code: String

    package init(_ kind: FailureKind, _ reason: String, code: String? = nil) {
        self.kind = kind
        self.reason = reason
        self.code = code ?? kind.defaultCode
    }

    package static func notFound(_ reason: String) -> Failure { Failure(.notFound, reason) }

    /// A path that leads nowhere for this caller (a malformed id, a page not served here or not to them).
    package static let noSuchPage = Failure(.notFound, "We couldn't find that page. It may have been moved or deleted.")
}

extension FailureKind {
    /// The code API clients see when an error names none of its own.
    package var defaultCode: String {
        switch self {
        case .invalid: "invalid_input"
        case .badRequest: "bad_request"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .gone: "gone"
        case .tooLarge: "payload_too_large"
        case .tooManyRequests: "too_many_requests"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .upstream: "upstream_error"
        }
    }
}
