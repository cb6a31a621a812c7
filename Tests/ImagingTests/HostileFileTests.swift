import Foundation
import Testing
@testable import Imaging

/// Files built to break a decoder. Each must be refused with its specific error, and none may crash
/// the process or hang it. Every case says how it was made.
@Suite struct HostileFileTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let code: String
        let make: @Sendable () throws -> [UInt8]
        var testDescription: String { name }
    }

    static let jpeg = { try! Fixture.bytes("faces/person-a/img6.jpg") }()
    static let png = { try! Fixture.bytes("no-face/chelsea.png") }()
    static let heic = { try! Fixture.bytes("faces/heic/img6.heic") }()
    static let webp = { try! Derived.image("faces/person-a/img6.jpg").encoded(as: ".webp") }()

    static func random(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static func pngHeader(width: Int, height: Int) -> [UInt8] {
        var ihdr = Array("IHDR".utf8) + be32(width) + be32(height) + [8, 2, 0, 0, 0]
        ihdr = be32(13) + ihdr + be32(Int(CRC32.checksum(ihdr)))
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + ihdr
    }

    static func be32(_ v: Int) -> [UInt8] { [UInt8((v >> 24) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    /// A PNG chunk with a valid CRC.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(data.count) + body + be32(Int(CRC32.checksum(body)))
    }

    /// `jpeg` with the frame header (SOF0/SOF2) declaring another size.
    static func jpegDeclaring(width: Int, height: Int) -> [UInt8] {
        var bytes = jpeg
        var offset = 2
        while offset + 9 < bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1], length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            if marker == 0xC0 || marker == 0xC2 {
                bytes[offset + 5] = UInt8(height >> 8); bytes[offset + 6] = UInt8(height & 0xFF)
                bytes[offset + 7] = UInt8(width >> 8); bytes[offset + 8] = UInt8(width & 0xFF)
                return bytes
            }
            offset += 2 + length
        }
        return bytes
    }

    /// An animated WebP built by hand around a real frame (libvips 8.14 only writes stills here):
    /// VP8X with the animation flag, ANIM, then one ANMF chunk per frame holding the VP8 bitstream.
    static func animatedWebP(frames: Int) -> [UInt8] {
        func le(_ v: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        func riffChunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
            Array(type.utf8) + le(payload.count, 4) + payload + (payload.count % 2 == 1 ? [0] : [])
        }
        // The still's own "VP8 " chunk, found by walking its RIFF chunks.
        var offset = 12, vp8: [UInt8] = []
        while offset + 8 <= webp.count {
            let size = Int(webp[offset + 4]) | Int(webp[offset + 5]) << 8 | Int(webp[offset + 6]) << 16 | Int(webp[offset + 7]) << 24
            if String(decoding: webp[offset..<offset + 4], as: UTF8.self) == "VP8 " { vp8 = Array(webp[offset..<offset + 8 + size + size % 2]) }
            offset += 8 + size + size % 2
        }
        let width = 750, height = 1050
        var body = Array("WEBP".utf8)
        body += riffChunk("VP8X", [0x02, 0, 0, 0] + le(width - 1, 3) + le(height - 1, 3))
        body += riffChunk("ANIM", [0, 0, 0, 0] + le(0, 2))
        for _ in 0..<frames { body += riffChunk("ANMF", le(0, 3) + le(0, 3) + le(width - 1, 3) + le(height - 1, 3) + le(100, 3) + [0] + vp8) }
        return Array("RIFF".utf8) + le(body.count, 4) + body
    }

    static let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 20) + Array("evil.txt".utf8)
        + [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)

    static let cases: [Case] = [
        Case(name: "0 bytes", code: "empty_file") { [] },
        Case(name: "1 byte", code: "unsupported_format") { [0xFF] },
        Case(name: "1 KB of random bytes", code: "unsupported_format") { random(1024, seed: 1) },
        Case(name: "1 MB of random bytes", code: "unsupported_format") { random(1 << 20, seed: 2) },
        Case(name: "plain text", code: "unsupported_format") { Array("hello, these are not pixels\n".utf8) },
        Case(name: "an HTML page", code: "unsupported_format") { Array("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".utf8) },
        Case(name: "JPEG truncated at half", code: "unreadable_image") { Array(jpeg.prefix(jpeg.count / 2)) },
        Case(name: "JPEG truncated at 10 %", code: "unreadable_image") { Array(jpeg.prefix(jpeg.count / 10)) },
        Case(name: "JPEG start-of-image marker only", code: "unreadable_image") { [0xFF, 0xD8, 0xFF] },
        Case(name: "JPEG magic followed by random bytes", code: "unreadable_image") { [0xFF, 0xD8, 0xFF, 0xE0] + random(50_000, seed: 3) },
        Case(name: "JPEG with its middle scrambled", code: "unreadable_image") {
            var bytes = jpeg
            for i in stride(from: bytes.count / 3, to: bytes.count / 3 + 4000, by: 1) { bytes[i] = UInt8(truncatingIfNeeded: i * 7) }
            return bytes
        },
        Case(name: "JPEG declaring 0×0 pixels", code: "unreadable_image") { jpegDeclaring(width: 0, height: 0) },
        Case(name: "JPEG declaring 60000×60000 pixels (bomb)", code: "too_many_pixels") { jpegDeclaring(width: 60000, height: 60000) },
        Case(name: "PNG declaring 100,000×100,000 pixels (bomb)", code: "too_many_pixels") {
            pngHeader(width: 100_000, height: 100_000) + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + chunk("IEND", [])
        },
        Case(name: "PNG declaring 100,000×200 pixels (a strip)", code: "low_resolution") {
            pngHeader(width: 100_000, height: 200) + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + chunk("IEND", [])
        },
        Case(name: "PNG truncated at half", code: "unreadable_image") { Array(png.prefix(png.count / 2)) },
        Case(name: "PNG header only", code: "unreadable_image") { Array(png.prefix(8)) },
        Case(name: "PNG with a corrupted data chunk", code: "unreadable_image") {
            var bytes = png
            for i in (bytes.count / 2)..<(bytes.count / 2 + 64) { bytes[i] ^= 0x5A }
            return bytes
        },
        Case(name: "animated PNG (acTL chunk)", code: "animated_or_multi_page") {
            Array(png.prefix(33)) + chunk("acTL", be32(2) + be32(0)) + Array(png.dropFirst(33))
        },
        Case(name: "GIF renamed .jpg", code: "unsupported_format") { try Derived.image("faces/person-a/img6.jpg").encoded(as: ".gif") },
        Case(name: "GIF89a header only", code: "unsupported_format") { Array("GIF89a".utf8) + [0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00] },
        Case(name: "SVG", code: "unsupported_format") {
            Array("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"800\"><circle r=\"400\"/></svg>".utf8)
        },
        Case(name: "SVG with an XML prolog and an external entity", code: "unsupported_format") {
            Array("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&x;</svg>".utf8)
        },
        Case(name: "PDF", code: "unsupported_format") { Array("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8) },
        Case(name: "TIFF (also how most camera RAW files start)", code: "unsupported_format") {
            try Derived.image("faces/person-a/img6.jpg").encoded(as: ".tif")
        },
        Case(name: "BMP", code: "unsupported_format") { Array("BM".utf8) + [UInt8](repeating: 0, count: 60) },
        Case(name: "ZIP archive", code: "unsupported_format") { zip },
        Case(name: "polyglot: JPEG header followed by a ZIP", code: "unreadable_image") { Array(jpeg.prefix(600)) + zip },
        Case(name: "MP4 video", code: "unsupported_format") {
            be32(24) + Array("ftypisom".utf8) + be32(0x200) + Array("isomiso2".utf8) + be32(8) + Array("mdat".utf8)
        },
        Case(name: "AVIF still (not an accepted format)", code: "unsupported_format") {
            be32(28) + Array("ftypavif".utf8) + be32(0) + Array("avifmif1miaf".utf8) + random(2000, seed: 4)
        },
        Case(name: "HEIC truncated at half", code: "unreadable_image") { Array(heic.prefix(heic.count / 2)) },
        Case(name: "HEIC brand followed by random bytes", code: "unreadable_image") { Array(heic.prefix(32)) + random(20_000, seed: 5) },
        Case(name: "WebP truncated at half", code: "unreadable_image") { Array(webp.prefix(webp.count / 2)) },
        Case(name: "WebP header followed by random bytes", code: "unreadable_image") { Array(webp.prefix(16)) + random(20_000, seed: 6) },
        Case(name: "animated WebP with two frames", code: "animated_or_multi_page") { animatedWebP(frames: 2) },
        Case(name: "30 MB file with a JPEG header", code: "file_too_large") { Array(jpeg.prefix(2000)) + [UInt8](repeating: 0, count: 30_000_000) },
    ]

    @Test(arguments: cases)
    func hostileFileIsRefusedWithItsOwnError(_ hostile: Case) async throws {
        await expectRefusal(try hostile.make(), hostile.code, Comment(rawValue: hostile.name))
    }

    @Test func atLeastThirtyHostileFilesAreCovered() {
        #expect(Self.cases.count >= 30)
    }

    @Test func aHugeBlankImageWithinTheLimitsDecodesInBoundedTimeAndMemory() async throws {
        // 7000×7000 (49 MP, just under the limit) of black compresses to a few hundred KB of PNG:
        // a decompression bomb that is allowed through, decoded to 4096 px and found to hold no face.
        let blank = try VipsImage.fromPixels([UInt8](repeating: 0, count: 7000 * 7000), width: 7000, height: 7000, bands: 1)
        let bytes = try blank.encoded(as: ".png")
        #expect(bytes.count < 1_000_000)
        let result = try await inspector.inspect(bytes)
        #expect(result.report.finding(.noFace)?.verdict == .fail)
        #expect(result.report.width == 4096)
    }

    @Test func theLimitsRefuseTooManyBytesAndPixelsBeforeDecoding() async throws {
        var limits = PhotoLimits()
        limits.maxBytes = 10_000
        #expect(throws: PhotoError.tooLarge(bytes: Self.jpeg.count, limit: 10_000)) { try PhotoDecoder.decode(Self.jpeg, limits: limits) }
        limits = PhotoLimits()
        limits.maxPixels = 100_000
        #expect(throws: PhotoError.tooManyPixels(width: 750, height: 1050, limit: 100_000)) { try PhotoDecoder.decode(Self.jpeg, limits: limits) }
    }

    @Test func aDecodeThatRunsPastItsTimeLimitIsKilled() async throws {
        var limits = PhotoLimits()
        limits.decodeSeconds = 0
        #expect(throws: PhotoError.timedOut) { try PhotoDecoder.decode(try Fixture.bytes("faces/person-a/img4.jpg"), limits: limits) }
    }
}

/// Deterministic bytes for "random" files, so a failure can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// PNG's chunk checksum (test files need valid ones to reach the check under test).
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(~UInt32(0)) { table[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }
}
