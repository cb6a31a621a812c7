import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SiteRoutes

/// A JSON value, for model inputs whose shape each model defines.
package enum JSONValue: Codable, Sendable, Equatable {
    case string(String), number(Double), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}

/// Which model a prediction runs, in the predictions API's three forms, or a self-hosted Cog
/// container (which serves `POST /predictions` and answers with the output inline).
package enum PredictionTarget: Sendable, Equatable {
    case version(String)
    case model(owner: String, name: String)
    case deployment(owner: String, name: String)
    case cog

    /// "owner/name" (a model's latest version), "owner/name:version" or a bare version id,
    /// "deployments/owner/name", or "cog".
    package init?(_ text: String) {
        let parts = text.split(separator: "/").map(String.init)
        if text == "cog" { self = .cog; return }
        if parts.count == 3, parts[0] == "deployments" { self = .deployment(owner: parts[1], name: parts[2]); return }
        if parts.count == 2 {
            let name = parts[1].split(separator: ":", maxSplits: 1).map(String.init)
            if name.count == 2, !name[1].isEmpty { self = .version(name[1]) } else if !parts[0].isEmpty, !parts[1].isEmpty {
                self = .model(owner: parts[0], name: parts[1])
            } else { return nil }
            return
        }
        guard parts.count == 1, text.count >= 8, text.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
        self = .version(text)
    }

    package var path: String {
        switch self {
        case .version: "/v1/predictions"
        case .model(let owner, let name): "/v1/models/\(owner)/\(name)/predictions"
        case .deployment(let owner, let name): "/v1/deployments/\(owner)/\(name)/predictions"
        case .cog: "/predictions"
        }
    }
}

/// A prediction as the API describes it.
package struct Prediction: Sendable, Equatable {
    package enum Status: String, Sendable {
        case starting, processing, succeeded, failed, canceled, aborted
        package var isFinal: Bool { ![.starting, .processing].contains(self) }
    }

    package let id: String
    package let status: Status
    /// URLs or data URIs of the images, in order.
    package let output: [String]
    package let error: String?
    /// Seconds of GPU time the provider bills.
    package let predictTime: Double?
    package let getURL: String?
    package let cancelURL: String?

    /// A prediction known by its id and links (to read or cancel it).
    package init(id: String, status: Status, getURL: String?, cancelURL: String?) {
        self.id = id
        self.status = status
        output = []
        error = nil
        predictTime = nil
        self.getURL = getURL
        self.cancelURL = cancelURL
    }

    /// Reads a prediction object (from a response or a webhook body).
    package init(json bytes: [UInt8]) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw PredictionsError.malformed("the answer is not a JSON object")
        }
        guard let raw = object["status"] as? String, let status = Status(rawValue: raw) else {
            throw PredictionsError.malformed("the prediction has no known status")
        }
        // A Cog container answering synchronously may give no id.
        id = object["id"] as? String ?? ""
        self.status = status
        switch object["output"] {
        case let text as String: output = [text]
        case let list as [Any]: output = list.compactMap { $0 as? String }
        default: output = []
        }
        error = object["error"] as? String
        predictTime = ((object["metrics"] as? [String: Any])?["predict_time"] as? NSNumber)?.doubleValue
        let urls = object["urls"] as? [String: Any]
        getURL = urls?["get"] as? String
        cancelURL = urls?["cancel"] as? String
    }
}

package enum PredictionsError: Error, Equatable, CustomStringConvertible {
    /// The provider answered with an error status that retrying does not cure.
    case refused(status: Int, message: String)
    /// Still rate-limited or failing after every retry.
    case unavailable(status: Int)
    case malformed(String)
    /// An output URL no longer serves the file (provider outputs expire).
    case outputGone
    /// An output URL the outbound policy does not allow (another host, plain http, a private address).
    case outputRefused(String)
    case tooLarge

    package var description: String {
        switch self {
        case .refused(let status, let message): "the provider refused the call (\(status)): \(message)"
        case .unavailable(let status): "the provider is unavailable (\(status))"
        case .malformed(let what): "the provider's answer is malformed: \(what)"
        case .outputGone: "the output is no longer available"
        case .outputRefused(let why): "an output URL was refused: \(why)"
        case .tooLarge: "the output is larger than allowed"
        }
    }
}

/// The predictions API (Replicate's wire format, also served by Cog containers): create, read and
/// cancel predictions, and fetch their outputs. Rate limits (429) and server errors (5xx) are retried
/// with exponential backoff, honouring `Retry-After`; a call that keeps failing is `unavailable`.
package struct PredictionsClient: Sendable {
    package let base: URL
    /// Sent as `Authorization: Bearer`; none for a self-hosted Cog container.
    package let token: String?
    package let http: HTTPClient
    /// Attempts per call (the first and its retries).
    package var attempts = 4
    /// The first backoff (doubled on each retry) when the answer has no `Retry-After`.
    package var backoff: Duration = .seconds(1)
    /// The longest single wait, whatever `Retry-After` says.
    package var maxWait: Duration = .seconds(60)
    package var timeout: TimeAmount = .seconds(60)
    /// The largest output file accepted.
    package var maxOutputBytes = 40 * 1024 * 1024
    /// Where output URLs may be fetched from (`OutboundPolicy`): the API's own origin, and the hosts
    /// the deployment allows. Strict unless configured: https, public addresses, no other host.
    package var outputs: OutboundPolicy
    /// A CA the output fetches also trust (`TLS_CA_FILE`), as the API's client does.
    package var outputCAFile: String?

    package init(base: URL, token: String?, http: HTTPClient, outputs: OutboundPolicy? = nil) {
        self.base = base
        self.token = token
        self.http = http
        var policy = outputs ?? OutboundPolicy(allowedHosts: [], allowsHTTP: false, refusesPrivateAddresses: true)
        if let origin = OutboundPolicy.Origin(base) { policy.trustedOrigins.append(origin) }
        self.outputs = policy
    }

    /// The API's origin: the only one the token is ever sent to.
    package var apiOrigin: OutboundPolicy.Origin? { OutboundPolicy.Origin(base) }

    /// Whether `url` is on the API's own origin (scheme, host and port, not a prefix of the text:
    /// `https://api.replicate.com.evil.tld` is another origin).
    package func isAPI(_ url: String) -> Bool {
        guard let origin = OutboundPolicy.Origin(url) else { return false }
        return origin == apiOrigin
    }

    package struct CreateBody: Encodable {
        package let version: String?
        package let input: [String: JSONValue]
        package let webhook: String?
        package let webhookEventsFilter: [String]?

        package enum CodingKeys: String, CodingKey {
            case version, input, webhook
            case webhookEventsFilter = "webhook_events_filter"
        }
    }

    /// Starts a prediction. `wait` asks the provider to hold the answer up to that many seconds
    /// (`Prefer: wait=N`); `cancelAfter` lets it cancel a prediction that runs longer (`Cancel-After`).
    package func create(_ target: PredictionTarget, input: [String: JSONValue], webhook: URL?, wait: Int? = nil,
                cancelAfter: String? = nil) async throws -> Prediction {
        var version: String?
        if case .version(let id) = target { version = id }
        let body = CreateBody(version: version, input: input, webhook: target == .cog ? nil : webhook?.absoluteString,
                              webhookEventsFilter: webhook == nil || target == .cog ? nil : ["completed"])
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        if let wait { headers.add(name: "Prefer", value: "wait=\(wait)") }
        if let cancelAfter { headers.add(name: "Cancel-After", value: cancelAfter) }
        let bytes = try await call(.POST, url(target.path), headers: headers, body: try JSONEncoder().encode(body))
        return try Prediction(json: bytes)
    }

    /// The prediction as it is now (from its `urls.get` when that is on the API's origin, else by id).
    package func get(_ prediction: Prediction) async throws -> Prediction {
        let given = prediction.getURL.flatMap { isAPI($0) ? $0 : nil }
        return try Prediction(json: try await call(.GET, given ?? url("/v1/predictions/\(prediction.id)")))
    }

    /// Cancels a prediction that has not finished (its `urls.cancel` when that is on the API's origin, else by id).
    package func cancel(_ prediction: Prediction) async throws {
        let given = prediction.cancelURL.flatMap { isAPI($0) ? $0 : nil }
        _ = try await call(.POST, given ?? url("/v1/predictions/\(prediction.id)/cancel"))
    }

    /// An output's bytes: a data URI decoded, or a URL fetched at once (provider URLs expire).
    package func download(_ output: String) async throws -> [UInt8] {
        if output.hasPrefix("data:") {
            guard let comma = output.firstIndex(of: ","), output[..<comma].hasSuffix(";base64"),
                  let data = Data(base64Encoded: String(output[output.index(after: comma)...])) else {
                throw PredictionsError.malformed("an output data URI is not base64")
            }
            guard data.count <= maxOutputBytes else { throw PredictionsError.tooLarge }
            return Array(data)
        }
        do {
            // The token goes to the API's own origin only; every output URL is fetched under the outbound policy.
            return try await call(.GET, output, authorised: isAPI(output), policy: outputs)
        } catch PredictionsError.refused(let status, _) where [403, 404, 410].contains(status) {
            throw PredictionsError.outputGone
        }
    }

    private func url(_ path: String) -> String {
        base.absoluteString.trimmingSuffix("/") + path
    }

    /// One call with its retries. Returns the body of a 2xx answer. With a `policy` (output URLs the
    /// provider named) the URL is checked and fetched by an `OutboundClient`; without, it is the API's.
    private func call(_ method: HTTPMethod, _ url: String, headers extra: HTTPHeaders = [:], body: Data? = nil,
                      authorised: Bool = true, policy: OutboundPolicy? = nil) async throws -> [UInt8] {
        var lastStatus = 0
        for attempt in 1...max(attempts, 1) {
            var request = HTTPClientRequest(url: url)
            request.method = method
            request.headers = extra
            if authorised, let token { request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(token)") }
            if let body { request.body = .bytes(ByteBuffer(data: body)) }
            var wait: Duration?
            do {
                let answer: OutboundClient.Answer
                if let policy {
                    answer = try await OutboundClient(policy: policy, caFile: outputCAFile).execute(request, timeout: timeout, maxBytes: maxOutputBytes)
                } else {
                    let response = try await http.execute(request, timeout: timeout)
                    answer = .init(status: Int(response.status.code), headers: response.headers,
                                   body: Array(try await response.body.collect(upTo: maxOutputBytes + 1).readableBytesView))
                }
                let bytes = answer.body
                guard bytes.count <= maxOutputBytes else { throw PredictionsError.tooLarge }
                let status = answer.status
                if (200..<300).contains(status) { return bytes }
                lastStatus = status
                guard status == 429 || status >= 500 else {
                    throw PredictionsError.refused(status: status, message: Self.message(bytes))
                }
                wait = Self.retryAfter(answer.headers.first(name: "Retry-After"))
            } catch let error as PredictionsError {
                throw error
            } catch let refusal as OutboundPolicy.Refusal {
                // Not a passing fault: the URL is not one we fetch.
                throw PredictionsError.outputRefused(refusal.description)
            } catch {
                // The connection failed or timed out: retried like a 5xx.
                lastStatus = 0
                if attempt == attempts { throw error }
            }
            guard attempt < attempts else { break }
            let backoff = self.backoff * (1 << (attempt - 1))
            try await Task.sleep(for: min(wait ?? backoff, maxWait))
        }
        throw PredictionsError.unavailable(status: lastStatus)
    }

    /// `Retry-After` in seconds (the HTTP-date form is read as "soon").
    package static func retryAfter(_ value: String?) -> Duration? {
        guard let value else { return nil }
        if let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 { return .milliseconds(Int(seconds * 1000)) }
        return .seconds(1)
    }

    private static func message(_ bytes: [UInt8]) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
           let detail = object["detail"] as? String ?? object["error"] as? String ?? object["title"] as? String {
            return String(detail.prefix(300))
        }
        return String(decoding: bytes.prefix(300), as: UTF8.self)
    }
}
