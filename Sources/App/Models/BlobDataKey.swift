import Fluent
import Foundation

/// A scope's data key for object storage, sealed by the master key (`KeyWrapping`), kept in the
/// database so every process reads the same one and so deleting the row destroys the key: the
/// bucket (its versions, replicas, backups) never holds anything that opens its objects.
final class BlobDataKey: Model, @unchecked Sendable {
    static let schema = "blob_data_keys"

    @ID var id: UUID?
    @Field(key: "scope") var scope: String
    /// The sealed key, base64.
    @Field(key: "wrapped") var wrapped: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(scope: String, wrapped: [UInt8], at date: Date) {
        self.scope = scope
        self.wrapped = Data(wrapped).base64EncodedString()
        self.createdAt = date
    }
}
