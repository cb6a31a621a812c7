import Foundation
import NIOCore
import Testing
import Zip

/// The streamed ZIP writer against Info-ZIP's `unzip`: what it writes is a valid archive whose
/// entries come back byte for byte under their names, and a damaged entry fails its CRC.
@Suite("Streamed ZIP archives") struct ZipStreamTests {
    /// Writes entries the way the bundle download does: header, data in chunks, descriptor; then the directory.
    static func archive(_ files: [(String, [UInt8])], chunk: Int = 1000) throws -> [UInt8] {
        var zip = ZipStream()
        var out: [UInt8] = []
        for (name, bytes) in files {
            out += Array(zip.begin(name).readableBytesView)
            for start in stride(from: 0, to: bytes.count, by: chunk) {
                let piece = ByteBuffer(bytes: bytes[start..<min(start + chunk, bytes.count)])
                zip.add(piece)
                out += Array(piece.readableBytesView)
            }
            out += Array(try zip.end().readableBytesView)
        }
        out += Array(try zip.finish().readableBytesView)
        return out
    }

    /// Runs `unzip ARGUMENTS archive.zip NAMES` on the archive written to a temporary file.
    static func unzip(_ archive: [UInt8], _ arguments: [String], names: [String] = []) throws -> (status: Int32, output: [UInt8]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("test.zip").path
        try Data(archive).write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["unzip"] + arguments + [path] + names
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, [UInt8](output))
    }

    @Test func unzipFindsEveryEntryIntactUnderItsName() throws {
        let files: [(String, [UInt8])] = [
            ("headshot-corporate-grey-01.jpg", (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }),
            ("portraits/headshot-monochrome-02.jpg", Array("not really a jpeg".utf8)),
            ("empty.txt", []),
        ]
        let archive = try Self.archive(files)
        let tested = try Self.unzip(archive, ["-t"])
        #expect(tested.status == 0, "unzip -t: \(String(decoding: tested.output, as: UTF8.self))")
        for (name, bytes) in files {
            let extracted = try Self.unzip(archive, ["-p"], names: [name])
            #expect(extracted.status == 0 && extracted.output == bytes, "\(name) comes back byte for byte")
        }
    }

    @Test func aDamagedEntryFailsItsChecksum() throws {
        var archive = try Self.archive([("a.jpg", Array(repeating: 7, count: 5000))])
        archive[200] ^= 0xFF  // inside the stored data of the only entry
        #expect(try Self.unzip(archive, ["-t"]).status != 0)
    }
}
