import BlobStorage
import Foundation
import HeadshotCore
import MultipartKit
import NIOCore
import Vapor

/// Streams an upload's body to temporary files, never holding it in memory: a raw body (one photo,
/// as the page's script and API clients send) or a multipart form (the no-script form, one or more
/// photos). The size limit is enforced while bytes arrive. On any failure every temporary file is
/// removed before the error is thrown.
struct UploadReceiver {
    let directory: String
    let maxBytes: Int
    let pool: NIOThreadPool
    /// Files this request may carry (what its admission counted).
    var maxFiles = IncomingFile.maxPerRequest
    /// The owner's share of the spool, charged as bytes arrive (nil: not counted).
    var admission: (UploadAdmission, UploadAdmission.Ticket)? = nil

    func receive(_ req: Request) async throws -> [IncomingFile] {
        try await pool.runIfActive { [directory] in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let sink = FileSink(directory: directory, maxBytes: maxBytes, pool: pool, admission: admission)
        do {
            if let type = req.headers.contentType, type.type == "multipart", let boundary = type.parameters["boundary"] {
                try await receiveMultipart(req, boundary: boundary, into: sink)
            } else {
                try await sink.begin(filename: Self.filename(from: req))
                try await RequestBodyReader.forEach(req) { buffer in try await sink.write(buffer) }
                try await sink.finish()
            }
        } catch {
            await sink.discardAll()
            throw error
        }
        guard !sink.files.isEmpty else { throw UploadError.noFile }
        return sink.files
    }

    /// Parts with a filename become files; small non-file fields (the CSRF token) are skipped.
    private func receiveMultipart(_ req: Request, boundary: String, into sink: FileSink) async throws {
        let parser = Unshared(MultipartParser(boundary: boundary))
        let events = PartEvents()
        parser.value.onHeader = { name, value in events.header(name, value) }
        parser.value.onBody = { buffer in events.body(buffer) }
        parser.value.onPartComplete = { events.complete() }
        try await RequestBodyReader.forEach(req) { buffer in
            do { try parser.value.execute(buffer) } catch { throw UploadError.malformedForm }
            for event in events.drain() {
                switch event {
                case .start(let filename):
                    guard sink.files.count < maxFiles else { throw UploadError.tooManyFiles(limit: maxFiles) }
                    try await sink.begin(filename: filename)
                case .bytes(let bytes) where sink.isOpen:
                    try await sink.write(bytes)
                case .bytes:
                    break
                case .end where sink.isOpen:
                    try await sink.finish()
                case .end:
                    break
                }
            }
        }
        if sink.isOpen { throw UploadError.noFile }  // the form ended inside a file part
    }

    /// A name for the file, for showing back to its owner only (never used as a path).
    static func filename(from req: Request) -> String {
        let raw = req.headers.first(name: "X-Filename").flatMap { $0.removingPercentEncoding } ?? "photo"
        return sanitize(raw)
    }

    static func sanitize(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? "photo"
        let cleaned = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.prefix(120))
        return cleaned.isEmpty ? "photo" : cleaned
    }
}

/// Turns MultipartParser callbacks into events the async loop acts on.
private final class PartEvents: @unchecked Sendable {
    // @unchecked: used only by the one request task that drives the parser.
    enum Event {
        case start(String)
        case bytes(ByteBuffer)
        case end
    }

    private var pending: [Event] = []
    private var headers: [String: String] = [:]
    private var started = false
    private var isFile = false

    func header(_ name: String, _ value: String) { headers[name.lowercased()] = value }

    func body(_ buffer: ByteBuffer) {
        if !started {
            started = true
            let disposition = headers["content-disposition"] ?? ""
            if let filename = Self.parameter("filename", in: disposition) {
                isFile = true
                pending.append(.start(UploadReceiver.sanitize(filename)))
            }
        }
        if isFile { pending.append(.bytes(buffer)) }
    }

    func complete() {
        if !started {  // an empty part still starts (and ends) a file
            body(ByteBuffer())
        }
        if isFile { pending.append(.end) }
        headers = [:]
        started = false
        isFile = false
    }

    func drain() -> [Event] {
        defer { pending = [] }
        return pending
    }

    static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pieces.count == 2, pieces[0].lowercased() == name {
                return pieces[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}

/// Writes one file at a time, in 1 MB batches on the thread pool, counting bytes against the limit.
private final class FileSink: @unchecked Sendable {
    // @unchecked: used only by the one request task that receives the body.
    let directory: String
    let maxBytes: Int
    let pool: NIOThreadPool
    let admission: (UploadAdmission, UploadAdmission.Ticket)?
    private(set) var files: [IncomingFile] = []
    private var current: (file: PosixFile, filename: String, size: Int)?
    private var batch: [UInt8] = []
    /// Every byte of the request's files so far, charged to the owner's share.
    private var total = 0

    init(directory: String, maxBytes: Int, pool: NIOThreadPool, admission: (UploadAdmission, UploadAdmission.Ticket)?) {
        self.directory = directory
        self.maxBytes = maxBytes
        self.pool = pool
        self.admission = admission
    }

    var isOpen: Bool { current != nil }

    func begin(filename: String) async throws {
        let path = directory + "/" + UploadSpool.fileName()
        let file = try await pool.runIfActive { try PosixFile.create(path) }
        current = (file, filename, 0)
    }

    func write(_ buffer: ByteBuffer) async throws {
        guard var open = current else { return }
        open.size += buffer.readableBytes
        current = open
        guard open.size <= maxBytes else { throw UploadError.tooLarge(limit: maxBytes) }
        total += buffer.readableBytes
        if let (admission, ticket) = admission { try admission.charge(ticket, total: total) }
        batch += buffer.readableBytesView
        if batch.count >= 1 << 20 { try await flush() }
    }

    func finish() async throws {
        guard let open = current else { return }
        try await flush()
        current = nil
        files.append(IncomingFile(path: open.file.path, filename: open.filename, size: open.size))
    }

    private func flush() async throws {
        guard let open = current, !batch.isEmpty else { return }
        let bytes = batch
        batch = []
        try await pool.runIfActive { try open.file.write(bytes) }
    }

    func discardAll() async {
        let paths = files.map(\.path) + (current.map { [$0.file.path] } ?? [])
        current = nil
        files = []
        batch = []
        _ = try? await pool.runIfActive { paths.forEach(PosixFile.remove) }
    }
}

/// A value used by one chunk handler at a time: `RequestBodyReader` hands over the next chunk only
/// after the previous one was handled, so the parser is never touched concurrently.
final class Unshared<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
