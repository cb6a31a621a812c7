import Foundation
import HeadshotCore
import Vapor

/// The staff console's API answers (tokens of support and admin users only).
struct ConsoleJobDTO: Content {
    let id: UUID
    let orderID: UUID
    let kind: String
    let status: JobStatus
    let done: Int
    let total: Int
    let attempts: Int
    let maxAttempts: Int
    let lastError: String?
    let createdAt: Date?

    init(_ job: GenerationJob) throws {
        id = try job.requireID()
        orderID = job.$order.id
        kind = job.kind
        status = job.status
        done = job.progressDone
        total = job.progressTotal
        attempts = job.attempts
        maxAttempts = job.maxAttempts
        lastError = job.lastError
        createdAt = job.createdAt
    }
}

struct ConsoleAlertDTO: Content {
    let job: ConsoleJobDTO
    let customerEmail: String
    let stuck: Bool
    let ageSeconds: Double
}

struct ConsoleOverviewDTO: Content {
    let stuckAfterSeconds: Double
    let alerts: [ConsoleAlertDTO]
    let openTickets: [SupportTicketDTO]
    let refunds: [RefundDTO]

    init(_ overview: StaffConsole.Overview) throws {
        stuckAfterSeconds = overview.stuckAfter
        alerts = try overview.alerts.map { ConsoleAlertDTO(job: try ConsoleJobDTO($0.job), customerEmail: $0.customer, stuck: $0.stuck, ageSeconds: $0.age) }
        openTickets = try overview.openTickets.map(SupportTicketDTO.init)
        refunds = try overview.refunds.map(RefundDTO.init)
    }
}

struct ConsoleAuditDTO: Content {
    let at: Date
    let actorType: String
    let actorID: UUID?
    let action: String
    let subjectType: String
    let from: String?
    let to: String?
    let detail: String?

    init(_ event: AuditEvent) {
        at = event.createdAt
        actorType = event.actorType.rawValue
        actorID = event.actorID
        action = event.action
        subjectType = event.subjectType
        from = event.fromState
        to = event.toState
        detail = event.detail
    }
}

struct ConsoleStateDTO: Content {
    let state: String
    let from: Date
    let until: Date?
    let seconds: Double
}

struct ConsolePhotoDTO: Content {
    let id: UUID
    let status: String
    let filename: String
}

struct ConsoleOrderDTO: Content {
    let id: UUID
    let status: OrderStatus
    let customerEmail: String?
    let headshotCount: Int?
    let presets: [String]
    let amountMinor: Int?
    let currency: String?
    let rerunCredits: Int?
    let headshotsDelivered: Int
    let legalHold: Bool
    let jobs: [ConsoleJobDTO]
    let refunds: [RefundDTO]
    let tickets: [SupportTicketDTO]
    let states: [ConsoleStateDTO]
    let audit: [ConsoleAuditDTO]
    /// Admins only (support sees no photos): the order's selfies.
    let photos: [ConsolePhotoDTO]?
    /// Admins only: what the GPU provider billed for the order (nil for support, and with no remote generator configured).
    let gpu: ConsoleGPUCostDTO?

    init(_ file: StaffConsole.OrderFile, showPhotos: Bool, gpuCurrency: String? = nil) throws {
        let order = file.order
        id = try order.requireID()
        status = order.status
        customerEmail = file.customer?.email
        headshotCount = order.headshotCount
        presets = StylePreset.chosen(order.presets).map(\.rawValue)
        amountMinor = order.amountMinor
        currency = order.currency
        rerunCredits = file.entitlement?.rerunCredits
        headshotsDelivered = file.headshots
        legalHold = file.held
        jobs = try file.jobs.map(ConsoleJobDTO.init)
        refunds = try file.refunds.map(RefundDTO.init)
        tickets = try file.tickets.map(SupportTicketDTO.init)
        states = file.spans.map { ConsoleStateDTO(state: $0.state, from: $0.from, until: $0.until, seconds: $0.seconds) }
        audit = file.trail.map(ConsoleAuditDTO.init)
        photos = showPhotos ? try file.photos.filter { $0.status != .deleted }.map {
            ConsolePhotoDTO(id: try $0.requireID(), status: $0.status.rawValue, filename: $0.originalFilename)
        } : nil
        let cost = file.gpuCost
        gpu = showPhotos ? gpuCurrency.map { ConsoleGPUCostDTO(predictions: cost.predictions, predictSeconds: cost.seconds, cost: cost.cost, currency: $0) } : nil
    }
}

/// What the GPU provider billed for an order: predictions asked for, seconds of `predict_time`, and
/// their cost at the configured price per second when each was asked for.
struct ConsoleGPUCostDTO: Content {
    let predictions: Int
    let predictSeconds: Double
    let cost: Double
    let currency: String
}

struct ConsoleUserDTO: Content {
    struct OrderLine: Content {
        let id: UUID
        let status: OrderStatus
        let createdAt: Date?
    }

    let id: UUID
    let email: String
    let role: User.Role
    let createdAt: Date?
    let orders: [OrderLine]
    let tickets: Int

    init(_ user: User, orders: [Order] = [], tickets: Int = 0) throws {
        id = try user.requireID()
        email = user.email
        role = user.role
        createdAt = user.createdAt
        self.orders = try orders.map { OrderLine(id: try $0.requireID(), status: $0.status, createdAt: $0.createdAt) }
        self.tickets = tickets
    }
}

/// One week's KPI figures for a package ("all" for every package); a figure with nothing to count is null.
struct KPIRowDTO: Content {
    let weekStart: String
    let package: String
    let figures: [String: Double?]

    init(_ row: KPIs.Row) {
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        weekStart = day.string(from: row.weekStart)
        package = row.package
        figures = Dictionary(uniqueKeysWithValues: KPIs.Figure.allCases.map { ($0.rawValue, row.values[$0]) })
    }
}

struct ConsoleHoldDTO: Content {
    let orderID: UUID
    let held: Bool
}
