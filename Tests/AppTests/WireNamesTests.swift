import Foundation
import Testing
import Vapor
@testable import App

/// The one naming rule of the wire (`WireNames`): Swift names and snake_case names map both ways,
/// and forms and query strings reach typed decoding and lookups by wire name alike.
@Suite("Wire names") struct WireNamesTests {
    @Test(arguments: [("orderID", "order_id"), ("headshotIDs", "headshot_ids"), ("thumbnailURL", "thumbnail_url"),
                      ("etaMinMinutes", "eta_min_minutes"), ("id", "id"), ("identityDistance", "identity_distance"),
                      ("checkoutURL", "checkout_url"), ("repeat_purchase_30d_rate", "repeat_purchase_30d_rate")])
    func swiftNamesAreSnakeCaseOnTheWireAndBack(swift: String, wire: String) {
        #expect(WireNames.snake(swift) == wire)
        if swift.contains("_") == false { #expect(WireNames.camel(wire) == swift) }
    }

    struct Sample: Codable, Equatable {
        let orderID: UUID
        let headshotIDs: [UUID]
        let thumbnailURL: String
        let figures: [String: Int]
    }

    @Test func jsonIsWrittenAndReadUnderTheWireNames() throws {
        let sample = Sample(orderID: UUID(), headshotIDs: [UUID()], thumbnailURL: "t", figures: ["refund_rate": 1])
        let json = String(decoding: try WireNames.encoder(sorted: true).encode(sample), as: UTF8.self)
        #expect(json.contains(#""order_id":"#) && json.contains(#""headshot_ids":["#) && json.contains(#""thumbnail_url":"t""#))
        #expect(json.contains(#""refund_rate":1"#), "a dictionary's snake_case keys go through unchanged")
        #expect(try WireNames.decoder().decode(Sample.self, from: Data(json.utf8)) == sample)
    }

    struct FormSample: Codable {
        let acceptFewer: String?
        let headshotIDs: [UUID]?
    }

    @Test func aFormIsDecodedIntoSwiftNamesAndStillAnswersLookupsByWireName() throws {
        let id = UUID()
        let body = "accept_fewer=on&headshot_ids%5B%5D=\(id.uuidString)&csrf_token=abc"
        let decoder = WireNames.FormDecoder(), headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
        let form = try decoder.decode(FormSample.self, from: ByteBuffer(string: body), headers: headers)
        #expect(form.acceptFewer == "on" && form.headshotIDs == [id])
        struct Token: Codable { let csrf_token: String }
        #expect(try decoder.decode(Token.self, from: ByteBuffer(string: body), headers: headers).csrf_token == "abc")
        let query = try decoder.decode(FormSample.self, from: URI(string: "/x?accept_fewer=yes"))
        #expect(query.acceptFewer == "yes")
    }
}
