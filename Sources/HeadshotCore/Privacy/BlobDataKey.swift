import FluentKit
import Foundation

/// A scope's data key for object storage, sealed by the master key (`KeyWrapping`), kept in the
/// database so every process reads the same one and so deleting the row destroys the key: the
/// bucket (its versions, replicas, backups) never holds anything that opens its objects.
package final class BlobDataKey: Model, @unchecked Sendable {
    package static let schema = "blob_data_keys"

    @ID package var id: UUID?
    @Field(key: "scope") package var scope: String
    /// The sealed key, base64.
    @Field(key: "wrapped") package var wrapped: String
    @Field(key: "created_at") package var createdAt: Date

    package init() {}

    package init(scope: String, wrapped: [UInt8], at date: Date) {
        self.scope = scope
        self.wrapped = Data(wrapped).base64EncodedString()
        self.createdAt = date
    }
}
