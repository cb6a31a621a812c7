import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Where an S3-compatible bucket is and how to reach it (from S3_* variables).
public struct S3Settings: Sendable, Equatable {
    public var endpoint: URL
    public var region: String
    public var bucket: String
    public var accessKeyID: String
    public var secretAccessKey: String
    /// `endpoint/bucket/key` rather than `bucket.endpoint/key`; MinIO, moto and most self-hosted
    /// servers need it.
    public var pathStyle: Bool
    /// Sent as `x-amz-server-side-encryption` on every write; nil sends none.
    public var serverSideEncryption: String?

    public init(endpoint: URL, region: String, bucket: String, accessKeyID: String, secretAccessKey: String,
                pathStyle: Bool = true, serverSideEncryption: String? = "AES256") {
        self.endpoint = endpoint
        self.region = region
        self.bucket = bucket
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.pathStyle = pathStyle
        self.serverSideEncryption = serverSideEncryption
    }
}

/// Blobs in an S3-compatible bucket, signed with SigV4 over AsyncHTTPClient. Bodies stream in both
/// directions; anything larger than one part goes up as a multipart upload, which is aborted if the
/// body fails, so no partial object is ever visible.
///
/// Every object is encrypted on this side before it leaves (client-side, in the same at-rest format
/// as local blobs: AES-256-GCM chunks under the scope's own data key), so the bucket, its versions,
/// replicas and backups hold only ciphertext; the data keys live in `keys` (the database), and
/// destroying a scope's key makes every copy of its objects unreadable. Objects written before
/// client-side encryption (no header) are still read as they are.
public final class S3BlobStore: BlobStore {
    /// S3's minimum part size is 5 MiB; 8 MiB keeps a 25 MB upload to four parts.
    static let partSize = 8 << 20

    let settings: S3Settings
    let keys: DataKeys
    private let client: HTTPClient
    private let signer: S3Signer
    private let timeout: TimeAmount = .seconds(120)

    public init(settings: S3Settings, client: HTTPClient, keys: DataKeys) {
        self.settings = settings
        self.keys = keys
        self.client = client
        self.signer = S3Signer(accessKeyID: settings.accessKeyID, secretAccessKey: settings.secretAccessKey, region: settings.region)
    }

    // MARK: BlobStore

    public func put<Body: AsyncSequence & Sendable>(_ key: BlobKey, body: Body, contentType: String) async throws
    where Body.Element == ByteBuffer {
        guard let dataKey = try await keys.key(for: key.scope, create: true) else { throw BlobError.unreadable(key.path) }
        let header = BlobCipher.newHeader()
        let cipher = try BlobCipher(key: dataKey, path: key.path, header: header)
        try await putRaw(key, body: SealingBody(base: body, cipher: cipher, header: header), contentType: "application/octet-stream")
    }

    /// Stores the bytes as they are (already sealed).
    func putRaw<Body: AsyncSequence & Sendable>(_ key: BlobKey, body: Body, contentType: String) async throws
    where Body.Element == ByteBuffer {
        var iterator = body.makeAsyncIterator()
        var part = ByteBuffer()
        var finished = false
        // Fill the first part; a body that ends before it is full goes up in one PUT.
        while part.readableBytes < Self.partSize {
            guard var next = try await iterator.next() else { finished = true; break }
            part.writeBuffer(&next)
        }
        if finished {
            _ = try await send("PUT", key: key, body: part, headers: writeHeaders(contentType), expect: [200])
            return
        }

        let created = try await send("POST", key: key, query: [("uploads", "")], headers: writeHeaders(contentType), expect: [200])
        guard let uploadID = S3XML.values(of: "UploadId", in: created).first else { throw BlobError.backend("no UploadId in CreateMultipartUpload") }
        do {
            var etags: [String] = []
            while true {
                while !finished && part.readableBytes < Self.partSize {
                    guard var next = try await iterator.next() else { finished = true; break }
                    part.writeBuffer(&next)
                }
                guard part.readableBytes > 0, let chunk = part.readSlice(length: min(part.readableBytes, Self.partSize)) else { break }
                let number = etags.count + 1
                let response = try await sendRaw("PUT", key: key, query: [("partNumber", "\(number)"), ("uploadId", uploadID)], body: chunk, expect: [200])
                guard let etag = response.headers.first(name: "ETag") else { throw BlobError.backend("no ETag for part \(number)") }
                _ = try? await response.body.collect(upTo: 1 << 16)
                etags.append(etag)
                part.discardReadBytes()
            }
            let manifest = "<CompleteMultipartUpload>" + etags.enumerated().map {
                "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\(S3XML.escape($0.element))</ETag></Part>"
            }.joined() + "</CompleteMultipartUpload>"
            let completed = try await send("POST", key: key, query: [("uploadId", uploadID)], body: ByteBuffer(string: manifest), expect: [200])
            // S3 can answer 200 and still report an error in the body.
            if !S3XML.values(of: "Code", in: completed).isEmpty { throw BlobError.backend("CompleteMultipartUpload: \(completed)") }
        } catch {
            _ = try? await send("DELETE", key: key, query: [("uploadId", uploadID)], expect: [204, 200, 404])
            throw error
        }
    }

    public func get(_ key: BlobKey) async throws -> BlobStream {
        let raw = try await getRaw(key)
        return OpeningStream(raw, key: try await keys.key(for: key.scope, create: false), path: key.path).stream
    }

    /// The object's bytes as stored (sealed).
    func getRaw(_ key: BlobKey) async throws -> BlobStream {
        let response = try await execute("GET", url: url(key), headers: [], body: nil)
        guard response.status == .ok else {
            _ = try? await response.body.collect(upTo: 1 << 16)
            if response.status == .notFound { throw BlobError.notFound(key.path) }
            throw BlobError.backend("GET \(key.path): \(response.status)")
        }
        let body = BodyIterator(response.body.makeAsyncIterator())
        return BlobStream(unfolding: { try await body.next() })
    }

    public func delete(_ key: BlobKey) async throws {
        _ = try await send("DELETE", key: key, expect: [204, 200, 404])
    }

    public func exists(_ key: BlobKey) async throws -> Bool {
        let response = try await execute("HEAD", url: url(key), headers: [], body: nil)
        switch response.status {
        case .ok: return true
        case .notFound: return false
        default: throw BlobError.backend("HEAD \(key.path): \(response.status)")
        }
    }

    public func storedSize(of key: BlobKey) async throws -> Int? {
        let response = try await execute("HEAD", url: url(key), headers: [], body: nil)
        switch response.status {
        case .ok: return response.headers.first(name: "Content-Length").flatMap { Int($0) } ?? 0
        case .notFound: return nil
        default: throw BlobError.backend("HEAD \(key.path): \(response.status)")
        }
    }

    public func list(prefix: String) async throws -> [BlobKey] {
        var keys: [BlobKey] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let response = try await sendRaw("GET", key: nil, query: query, expect: [200])
            let xml = String(buffer: try await response.body.collect(upTo: 16 << 20))
            keys += S3XML.values(of: "Key", in: xml).compactMap { try? BlobKey(path: $0) }
            token = S3XML.values(of: "IsTruncated", in: xml).first == "true" ? S3XML.values(of: "NextContinuationToken", in: xml).first : nil
        } while token != nil
        return keys.sorted { $0.path < $1.path }
    }

    public func destroyScope(_ scope: String) async throws {
        _ = try BlobKey(scope: scope, name: "x")
        // The key goes first: from then on no copy of the scope's objects can be read, even if
        // deleting them is interrupted, or the bucket keeps versions.
        try await keys.destroy(scope: scope)
        for key in try await list(prefix: scope + "/") { try await delete(key) }
    }

    /// Multipart uploads started and neither completed nor aborted (they hold storage until cleaned).
    func pendingMultipartUploads(prefix: String) async throws -> [String] {
        let response = try await sendRaw("GET", key: nil, query: [("uploads", ""), ("prefix", prefix)], expect: [200])
        let xml = String(buffer: try await response.body.collect(upTo: 4 << 20))
        return S3XML.values(of: "UploadId", in: xml)
    }

    /// Creates the bucket when it does not exist yet (for first runs and tests).
    public func createBucketIfMissing() async throws {
        let response = try await execute("PUT", url: bucketURL(query: []), headers: [], body: nil)
        let text = String(buffer: try await response.body.collect(upTo: 1 << 16))
        guard response.status == .ok || text.contains("BucketAlreadyOwnedByYou") || text.contains("BucketAlreadyExists") else {
            throw BlobError.backend("create bucket: \(response.status) \(text)")
        }
    }

    // MARK: Requests

    private func writeHeaders(_ contentType: String) -> [(String, String)] {
        var headers = [("Content-Type", contentType)]
        if let sse = settings.serverSideEncryption { headers.append(("x-amz-server-side-encryption", sse)) }
        return headers
    }

    /// Sends a request and returns the response body as text, failing on an unexpected status.
    private func send(
        _ method: String, key: BlobKey?, query: [(String, String)] = [], body: ByteBuffer? = nil,
        headers: [(String, String)] = [], expect: Set<UInt>
    ) async throws -> String {
        let response = try await sendRaw(method, key: key, query: query, body: body, headers: headers, expect: expect)
        return String(buffer: try await response.body.collect(upTo: 16 << 20))
    }

    private func sendRaw(
        _ method: String, key: BlobKey?, query: [(String, String)] = [], body: ByteBuffer? = nil,
        headers: [(String, String)] = [], expect: Set<UInt>
    ) async throws -> HTTPClientResponse {
        let target = key.map { url($0, query: query) } ?? bucketURL(query: query)
        let response = try await execute(method, url: target, headers: headers, body: body)
        guard expect.contains(response.status.code) else {
            let text = String(buffer: (try? await response.body.collect(upTo: 1 << 16)) ?? ByteBuffer())
            if response.status == .notFound, let key { throw BlobError.notFound(key.path) }
            throw BlobError.backend("\(method) \(key?.path ?? settings.bucket): \(response.status) \(S3XML.values(of: "Code", in: text).first ?? "")")
        }
        return response
    }

    private func execute(_ method: String, url: URL, headers: [(String, String)], body: ByteBuffer?) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        let payloadHash = body.map { S3Signer.payloadHash($0.readableBytesView) } ?? S3Signer.emptyPayloadHash
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        for (name, value) in signer.sign(method: method, url: url, headers: headers, payloadHash: payloadHash, date: Date()) {
            request.headers.add(name: name, value: value)
        }
        if let body {
            request.body = .bytes(body)
            request.headers.replaceOrAdd(name: "Content-Length", value: "\(body.readableBytes)")
        }
        do {
            return try await client.execute(request, timeout: timeout)
        } catch {
            throw BlobError.backend("\(method) \(url.path): \(error)")
        }
    }

    private func url(_ key: BlobKey, query: [(String, String)] = []) -> URL {
        compose(path: "/" + key.path, query: query)
    }

    private func bucketURL(query: [(String, String)]) -> URL { compose(path: "/", query: query) }

    /// Path-style or virtual-host URL with the query already in SigV4's canonical order and encoding,
    /// so what is sent is exactly what was signed.
    private func compose(path: String, query: [(String, String)]) -> URL {
        var base = settings.endpoint.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var fullPath = path
        if settings.pathStyle {
            fullPath = "/" + settings.bucket + (path == "/" ? "" : path)
        } else if var components = URLComponents(string: base) {
            components.host = settings.bucket + "." + (components.host ?? "")
            base = components.string ?? base
        }
        let encodedQuery = query
            .map { (S3Signer.encode($0.0, keepSlash: false), S3Signer.encode($0.1, keepSlash: false)) }
            .sorted { $0.0 < $1.0 }
            .map { $0.1.isEmpty && $0.0 == "uploads" ? "uploads=" : "\($0.0)=\($0.1)" }
            .joined(separator: "&")
        return URL(string: base + S3Signer.encodePath(fullPath) + (encodedQuery.isEmpty ? "" : "?" + encodedQuery))!
    }
}

/// Pulls a response body one buffer at a time (the HTTP client applies backpressure).
private final class BodyIterator: @unchecked Sendable {
    // @unchecked: the unfolding stream calls `next` one call at a time.
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    init(_ iterator: HTTPClientResponse.Body.AsyncIterator) { self.iterator = iterator }
    func next() async throws -> ByteBuffer? { try await iterator.next() }
}
