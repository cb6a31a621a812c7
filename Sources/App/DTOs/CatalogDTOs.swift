import FluentKit
import HeadshotCore
import Vapor

struct PackageDTO: Content {
    let id: UUID
    let code: String
    let name: String
    let headshotCount: Int
    let maxPresets: Int
    let priorityQueue: Bool
    let rerunCredits: Int
    let priceMinor: Int
    let currency: String

    init(_ package: Package) throws {
        id = try package.requireID()
        code = package.code
        name = package.name
        headshotCount = package.headshotCount
        maxPresets = package.maxPresets
        priorityQueue = package.queuePriority > 0
        rerunCredits = package.rerunCredits
        priceMinor = package.priceMinor
        currency = package.currency
    }

    var priceDisplay: String { Money.format(minor: priceMinor, currency: currency) }
}

/// The delivery time we have measured on completed orders, never a made-up promise.
struct TurnaroundDTO: Content {
    /// Median minutes from payment to delivery over recent orders; nil until orders have completed.
    let medianMinutes: Int?
    let sampleSize: Int

    var sentence: String {
        guard let minutes = medianMinutes, sampleSize > 0 else {
            return "We'll show how long orders take here once the first ones have been delivered."
        }
        let orders = sampleSize == 1 ? "our last order" : "our last \(sampleSize) orders"
        return "Most orders are ready about \(minutes) minute\(minutes == 1 ? "" : "s") after payment (measured over \(orders))."
    }
}

extension TurnaroundDTO {
    init(_ turnaround: Turnaround) {
        self.init(medianMinutes: turnaround.medianMinutes, sampleSize: turnaround.sampleSize)
    }
}

extension Catalog {
    /// The packages on sale, as the pages and the API show them.
    static func packages(on db: any Database) async throws -> [PackageDTO] {
        try await activePackages(on: db).map(PackageDTO.init)
    }

    /// How fast recent orders were delivered, as the landing page and the API say it.
    static func turnaround(on db: any Database) async throws -> TurnaroundDTO {
        TurnaroundDTO(try await deliveryTimes(on: db))
    }
}
