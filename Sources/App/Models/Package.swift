import Fluent
import Foundation

/// A product we sell. Seeded by a migration; prices in integer minor units so no float touches money.
public final class Package: Model, @unchecked Sendable {
    public static let schema = "packages"

    @ID public var id: UUID?
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    @Field(key: "headshot_count") public var headshotCount: Int
    @Field(key: "max_presets") public var maxPresets: Int
    /// Higher runs first in the generation queue.
    @Field(key: "queue_priority") public var queuePriority: Int
    @Field(key: "rerun_credits") public var rerunCredits: Int
    @Field(key: "price_minor") public var priceMinor: Int
    @Field(key: "currency") public var currency: String
    @Field(key: "active") public var active: Bool
    @Field(key: "sort_order") public var sortOrder: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, code: String, name: String, headshotCount: Int, maxPresets: Int, queuePriority: Int,
                rerunCredits: Int, priceMinor: Int, currency: String, sortOrder: Int) {
        self.id = id
        self.code = code
        self.name = name
        self.headshotCount = headshotCount
        self.maxPresets = maxPresets
        self.queuePriority = queuePriority
        self.rerunCredits = rerunCredits
        self.priceMinor = priceMinor
        self.currency = currency
        self.active = true
        self.sortOrder = sortOrder
    }
}
