import Foundation
import FluentKit

/// The quality gate's verdict and the face descriptor for the set checks. The descriptor is biometric
/// data: it lives only in this column and is cleared when the photo is deleted.
package struct AddUploadAnalysis: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
        try await database.schema(UploadAsset.schema).field("verdict", .string).update()
        try await database.schema(UploadAsset.schema).field("face_descriptor", .string).update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(UploadAsset.schema).deleteField("face_descriptor").update()
        try await database.schema(UploadAsset.schema).deleteField("verdict").update()
    }
}
