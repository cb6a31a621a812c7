import Vapor

struct OrderDTO: Content {
    let id: UUID
    let status: OrderStatus
    let packageName: String?
    let headshotCount: Int?
    let createdAt: Date?
    let statusChangedAt: Date?

    init(_ order: Order) throws {
        id = try order.requireID()
        status = order.status
        packageName = order.$package.value??.name
        headshotCount = order.headshotCount
        createdAt = order.createdAt
        statusChangedAt = order.statusChangedAt
    }

    var statusLabel: String {
        switch status {
        case .draft: "Uploading photos"
        case .awaitingPayment: "Awaiting payment"
        case .paid: "Paid"
        case .queued: "In the queue"
        case .processing: "Being made"
        case .completed: "Ready"
        case .failed: "Failed"
        case .refunded: "Refunded"
        case .deleted: "Deleted"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, status
        case packageName = "package_name"
        case headshotCount = "headshot_count"
        case createdAt = "created_at"
        case statusChangedAt = "status_changed_at"
    }
}
