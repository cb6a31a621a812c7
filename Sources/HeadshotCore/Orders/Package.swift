import FluentKit
import Foundation

/// A product we sell. Seeded by a migration; prices in integer minor units so no float touches money.
package final class Package: Model, @unchecked Sendable {
    package static let schema = "packages"

    @ID package var id: UUID?
    @Field(key: "code") package var code: String
    @Field(key: "name") package var name: String
    @Field(key: "headshot_count") package var headshotCount: Int
    @Field(key: "max_presets") package var maxPresets: Int
    /// Higher runs first in the generation queue.
    @Field(key: "queue_priority") package var queuePriority: Int
    @Field(key: "rerun_credits") package var rerunCredits: Int
    @Field(key: "price_minor") package var priceMinor: Int
    @Field(key: "currency") package var currency: String
    @Field(key: "active") package var active: Bool
    @Field(key: "sort_order") package var sortOrder: Int
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package init(id: UUID? = nil, code: String, name: String, headshotCount: Int, maxPresets: Int, queuePriority: Int,
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
