import CVipsShim
import Foundation

/// Process-wide libvips start-up. libvips keeps global state, so it is started once and never shut
/// down while the process runs.
enum Vips {
    /// Threads libvips may use inside one operation. Photos are already checked in parallel, one per
    /// core, so more would only contend.
    static let concurrency: Int32 = 1

    private static let started: Bool = hs_vips_init(concurrency) == 0

    static func start() throws(VipsError) {
        guard started else { throw VipsError(operation: "start", message: takeError()) }
    }

    /// libvips reports errors through a global buffer; take it right after the failing call.
    static func takeError() -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        hs_vips_take_error(&buffer, buffer.count)
        return String(errorBuffer: buffer).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A libvips call failed; `message` is libvips' own text, for logs only (never shown to users).
struct VipsError: Error, CustomStringConvertible, Sendable {
    let operation: String
    let message: String
    var description: String { "libvips \(operation) failed: \(message)" }
}

extension String {
    /// Text of a NUL-terminated C error buffer.
    init(errorBuffer buffer: [CChar]) {
        self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
