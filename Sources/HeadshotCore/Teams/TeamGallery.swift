import BlobStorage
import FluentKit
import Foundation

/// The team's gallery: each member's chosen team headshot, and nothing else of theirs (never their
/// selfies, never the headshots they did not share). A headshot leaves it when its order can no
/// longer be served (refunded, deleted, past retention) or the member leaves.
package enum TeamGallery {
    package struct Item: Sendable {
        package let userID: UUID
        package let name: String?
        package let email: String
        package let asset: GeneratedAsset
        /// The file's name in the team ZIP: the member's name (or address), made safe and unique.
        package let filename: String
    }

    package static func items(of teamID: UUID, on db: any Database) async throws -> [Item] {
        let members = try await TeamMember.query(on: db).filter(\.$team.$id == teamID).filter(\.$teamHeadshotID != nil)
            .with(\.$user).sort(\.$joinedAt).all()
        var items: [Item] = [], used: Set<String> = []
        for member in members {
            guard let id = member.teamHeadshotID, let asset = try await GeneratedAsset.query(on: db).filter(\.$id == id)
                .filter(\.$status == .ready).with(\.$order).first(),
                  asset.order.$user.id == member.$user.id, asset.order.teamID == teamID,
                  try await Delivery.refusal(order: asset.order, on: db) == nil
            else { continue }
            let base = safeName(member.user.displayName ?? String(member.user.email.prefix { $0 != "@" }))
            var filename = base + ".jpg", counter = 2
            while used.contains(filename.lowercased()) { filename = "\(base) \(counter).jpg"; counter += 1 }
            used.insert(filename.lowercased())
            items.append(Item(userID: member.$user.id, name: member.user.displayName, email: member.user.email, asset: asset, filename: filename))
        }
        return items
    }

    /// Letters, digits, spaces, dots, hyphens and apostrophes; nothing that could leave the ZIP's folder.
    package static func safeName(_ text: String) -> String {
        let kept = String(text.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || " .-'_".unicodeScalars.contains($0) }.map(Character.init))
            .trimmingCharacters(in: CharacterSet(charactersIn: " ."))
        return kept.isEmpty ? "member" : String(kept.prefix(80))
    }

    /// The CSV of the team's people: name, email, state, role, and the team headshot's file name.
    package static func csv(_ dashboard: TeamDashboard, items: [Item]) -> String {
        func field(_ text: String) -> String {
            // Quoted, and a leading formula character neutralised so a spreadsheet never runs it.
            var value = text
            if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        let files = Dictionary(items.map { ($0.userID, $0.filename) }, uniquingKeysWith: { first, _ in first })
        let rows = dashboard.rows.map { row in
            [row.name ?? "", row.email, row.role?.rawValue ?? "invited", row.state.rawValue, row.userID.flatMap { files[$0] } ?? ""].map(field).joined(separator: ",")
        }
        return (["name,email,role,state,team_headshot"] + rows).joined(separator: "\r\n") + "\r\n"
    }
}
