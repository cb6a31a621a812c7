import Foundation
import Testing
@testable import Imaging

/// Only the normalised copy is stored: upright, sRGB, JPEG, and stripped of every metadata block.
@Suite struct NormalisationTests {
    @Test func exifOrientationIsAppliedBeforeFacesAreLookedFor() async throws {
        // img6 (750×1050, upright) stored sideways with EXIF orientation 6, as phones do: the pixels
        // are turned a quarter anticlockwise and the tag says "rotate 90° clockwise to view".
        let sideways = try Derived.image("faces/person-a/img6.jpg").rotated(degrees: 270).with("orientation", 6)
        let bytes = try sideways.encoded(as: ".jpg")
        #expect(try VipsImage.header(of: bytes).width == 1050)

        let result = try await inspector.inspect(bytes)
        #expect(result.report.width == 750 && result.report.height == 1050)
        #expect(result.report.verdict == .pass, "the face is only found upright: \(result.report.problems.map(\.message))")
        let stored = try VipsImage.header(of: result.normalisedJPEG)
        #expect(stored.width == 750 && stored.height == 1050 && stored.orientation == 1)
    }

    @Test func theNormalisedCopyCarriesNoEXIFXMPOrGPS() async throws {
        var planted = JPEGSegments.inserting(marker: 0xE1, payload: JPEGSegments.xmp("<secret>home address</secret>"),
                                             into: try Fixture.bytes("faces/person-a/img2.jpg"))
        planted = JPEGSegments.inserting(marker: 0xE1, payload: JPEGSegments.exifWithGPS(), into: planted)
        planted = JPEGSegments.inserting(marker: 0xFE, payload: Array("comment: taken at home".utf8), into: planted)
        #expect(planted.contains("SpyCam") && planted.contains("home address"))
        #expect(JPEGSegments.markers(planted).contains(0xE1))

        let result = try await inspector.inspect(planted)
        let stored = result.normalisedJPEG
        let markers = JPEGSegments.markers(stored)
        #expect(!markers.contains(0xE1), "APP1 (EXIF/XMP) left in \(markers)")
        #expect(!markers.contains(0xE2), "APP2 (ICC) left")
        #expect(!markers.contains(0xED), "APP13 (IPTC) left")
        #expect(!markers.contains(0xFE), "COM left")
        #expect(!stored.contains("SpyCam") && !stored.contains("home address") && !stored.contains("Exif"))
        #expect(stored.starts(with: [0xFF, 0xD8, 0xFF]))
    }

    @Test func aZIPAppendedToARealJPEGIsDroppedByReEncoding() async throws {
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + Array("payload.sh: rm -rf /".utf8) + [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)
        let result = try await inspector.inspect(try Fixture.bytes("faces/person-a/img6.jpg") + zip)
        #expect(result.report.verdict == .pass)
        #expect(!result.normalisedJPEG.contains("payload.sh"))
    }

    @Test func photosLargerThanTheStoredSizeAreShrunkNotRefused() async throws {
        // 5000 px on the long side: decoded, then stored at 4096.
        let large = try ImageResizer.jpeg(try Fixture.bytes("faces/person-a/img7.jpg"), longSide: 5000)
        let result = try await inspector.inspect(large)
        #expect(max(result.report.width, result.report.height) == 4096)
        #expect(result.report.verdict == .pass)
    }
}
