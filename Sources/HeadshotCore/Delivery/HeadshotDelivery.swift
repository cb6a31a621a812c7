import FluentKit
import Foundation
import SQLKit

/// What counts as delivery, in one place: any headshot bytes that leave the service at more than
/// thumbnail size — the full file inline (the gallery's lightbox) or as an attachment, a square or
/// portrait crop (the preview page), a share link, a ZIP bundle, a data export and a team's ZIP.
/// Each of those paths records its orders here before the first byte is sent, whatever the client
/// declared (`?dl=1` is only the file's disposition). The refund policy decides on this record.
package enum HeadshotDelivery {
    package static let schema = "order_deliveries"

    /// How the headshots left: the variant of a single file, or the kind of bundle.
    package enum Channel: String, Sendable {
        case full, square, portrait, share, bundle, export
        case teamZip = "team_zip"

        package init(_ variant: DownloadVariant) {
            self = switch variant {
            case .full, .thumbnail: .full
            case .square: .square
            case .portrait: .portrait
            }
        }
    }

    /// Records that headshots of these orders were delivered (the first delivery of each is kept).
    /// Read first: a gallery's lightbox asks on every picture, and after the first the order is known,
    /// so only a first delivery takes SQLite's one writer.
    package static func record(_ orders: [UUID], via channel: Channel, at now: Date, on db: any Database) async throws {
        let sql = try db.sql()
        let asked = Array(Set(orders))
        guard !asked.isEmpty else { return }
        let known = Set(try await sql.select().column("order_id").from(schema).where("order_id", .in, asked).all()
            .map { try $0.decode(column: "order_id", as: UUID.self) })
        for order in asked where !known.contains(order) {
            try await sql.raw("""
                INSERT INTO \(ident: schema) (order_id, first_at, channel) VALUES (\(bind: order), \(bind: now), \(bind: channel.rawValue))
                ON CONFLICT (order_id) DO NOTHING
                """).run()
        }
    }

    /// When and how the order's headshots were first delivered (nil: never at more than thumbnail size).
    package static func first(of order: UUID, on db: any Database) async throws -> (at: Date, channel: String)? {
        guard let row = try await db.sql().select().columns("first_at", "channel").from(schema).where("order_id", .equal, order).first()
        else { return nil }
        return (try row.decode(column: "first_at", as: Date.self), try row.decode(column: "channel", as: String.self))
    }
}
