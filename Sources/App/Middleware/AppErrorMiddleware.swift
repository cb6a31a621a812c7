import BlobStorage
import Foundation
import HeadshotCore
import SiteRoutes
import Vapor

/// A write failed because the disk holding the spool or the blobs is full: the service is fine
/// otherwise, and says so (507) instead of failing like a bug.
enum StorageFull {
    static func matches(_ error: any Error) -> Bool {
        if let error = error as? PosixError { return error.isOutOfSpace }
        if let error = error as? CocoaError, error.code == .fileWriteOutOfSpace { return true }
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        return [error as NSError, underlying].contains { $0?.domain == NSPOSIXErrorDomain && ($0?.code == Int(ENOSPC) || $0?.code == Int(EDQUOT)) }
    }
}

/// Turns every error into a friendly page (browsers) or `{"error": {"code", "message"}}` (API).
/// 4xx messages are written for people; a 5xx never shows internals, only a reference to quote to support.
struct AppErrorMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            return Self.response(for: error, request: req)
        }
    }

    struct Problem {
        var status: HTTPResponseStatus
        var code: String
        var message: String
        var headers: HTTPHeaders = [:]
        var fields: [String: String]? = nil
    }

    static func problem(for error: any Error, request req: Request) -> Problem {
        switch error {
        case let error as DecodingError:
            return Problem(status: .badRequest, code: "invalid_body", message: describe(error))
        case let error as any DomainError:
            var problem = Problem(status: status(for: error.kind), code: error.code, message: error.reason, headers: headers(for: error.kind))
            if case .invalidInput(let fields) = error as? AccountError { problem.fields = fields }
            if problem.status.code >= 500 { req.logger.error("request failed: \(String(reflecting: error))") }
            return problem
        case let error where StorageFull.matches(error):
            req.logger.critical("storage full: \(String(reflecting: error))")
            return Problem(status: .insufficientStorage, code: "storage_full",
                           message: "Our storage is full at the moment, so nothing you sent was kept. Please try again in a few minutes.")
        case is IllegalTransition, is ConcurrentTransition:
            return Problem(status: .conflict, code: "conflict", message: "That change isn't possible in the current state. Reload and try again.")
        case let error as any AbortError:
            let code = (error as? any CodedError)?.code ?? defaultCode(for: error.status)
            let message = error.reason == error.status.reasonPhrase ? defaultMessage(for: error.status) : error.reason
            if error.status.code >= 500 { req.logger.error("request failed: \(String(reflecting: error))") }
            return Problem(status: error.status, code: code, message: message, headers: error.headers)
        default:
            req.logger.error("unhandled error: \(String(reflecting: error))")
            return Problem(status: .internalServerError, code: "internal_error", message: defaultMessage(for: .internalServerError))
        }
    }

    /// The one place a domain failure becomes an HTTP status.
    static func status(for kind: FailureKind) -> HTTPResponseStatus {
        switch kind {
        case .invalid: .unprocessableEntity
        case .badRequest: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .gone: .gone
        case .tooLarge: .payloadTooLarge
        case .tooManyRequests: .tooManyRequests
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .upstream: .badGateway
        }
    }

    static func headers(for kind: FailureKind) -> HTTPHeaders {
        if case .tooManyRequests(let seconds) = kind { return ["Retry-After": String(seconds)] }
        return [:]
    }

    static func response(for error: any Error, request req: Request) -> Response {
        let problem = problem(for: error, request: req)
        let response: Response
        if wantsJSON(req) {
            response = Response(status: problem.status)
            let body = APIErrorBody(error: .init(code: problem.code, message: problem.message, fields: problem.fields, requestID: req.requestID))
            try? response.content.encode(body, using: WireNames.encoder(sorted: true))
        } else {
            response = ErrorPage.render(status: problem.status, message: problem.message, viewer: req.viewer)
        }
        for (name, value) in problem.headers where name.lowercased() != "content-type" && name.lowercased() != "content-length" {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        return response
    }

    static func wantsJSON(_ req: Request) -> Bool {
        if req.url.path.hasPrefix(APIURL.root + "/") { return true }
        let accept = req.headers.first(name: .accept) ?? ""
        return accept.contains("application/json") && !accept.contains("text/html")
    }

    static func defaultCode(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 409: "conflict"
        case 410: "gone"
        case 413: "payload_too_large"
        case 415: "unsupported_media_type"
        case 422: "invalid_input"
        case 429: "too_many_requests"
        case 500..<600: "internal_error"
        default: "error"
        }
    }

    static func defaultMessage(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "The request could not be understood. Check what you sent and try again."
        case 401: "Please log in to continue."
        case 403: "You don't have access to this."
        case 404: Failure.noSuchPage.reason
        case 405: "That action isn't available here."
        case 413: "What you sent is too large."
        case 415: "That kind of content isn't accepted here."
        case 429: "Too many requests. Please wait a moment and try again."
        case 500..<600: "Something went wrong on our side. Please try again in a moment; if it keeps happening, contact support and quote the reference below."
        default: status.reasonPhrase
        }
    }

    /// A decoding failure in words: which field, and what was expected.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "Field '\(path(context, key))' is required."
        case .valueNotFound(_, let context): return "Field '\(path(context))' must not be null."
        case .typeMismatch(let type, let context):
            let field = path(context)
            return field.isEmpty ? "The request body has the wrong shape." : "Field '\(field)' must be \(describe(type))."
        case .dataCorrupted(let context):
            let field = path(context)
            return field.isEmpty ? "The request body is not valid JSON or form data." : "Field '\(field)' has an invalid value."
        @unknown default: return "The request body could not be read."
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "of a different type"
        }
    }
}

/// The JSON error shape of every API error.
struct APIErrorBody: Content {
    struct Detail: Content {
        let code: String
        let message: String
        let fields: [String: String]?
        let requestID: String
    }
    let error: Detail
}
