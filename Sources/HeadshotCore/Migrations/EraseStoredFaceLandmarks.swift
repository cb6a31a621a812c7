import FluentKit
import Foundation
import SQLKit

/// Photos checked before landmarks stopped being stored kept the face's 68 landmarks in `findings`
/// (biometric data, by the consent's own words): take them out of every stored report. Written in
/// SQL, not through the model, so it keeps working as the model gains columns.
package struct EraseStoredFaceLandmarks: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        for row in try await sql.raw("SELECT id, findings FROM upload_assets WHERE findings LIKE '%\"landmarks\"%'").all() {
            let cleaned = StoredReport.withoutBiometrics(try row.decode(column: "findings", as: String?.self))
            try await sql.raw("UPDATE upload_assets SET findings = \(bind: cleaned) WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))").run()
        }
    }

    package func revert(on database: any Database) async throws {}
}
