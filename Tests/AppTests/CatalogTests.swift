import Fluent
import Foundation
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// What the landing page and its JSON twins say we sell and how fast we deliver, from the orders.
@Suite("Catalogue") struct CatalogTests {
    /// A completed order paid `paidMinutesAgo` minutes ago and delivered `madeIn` minutes after payment.
    static func delivered(_ app: Application, user: User, package: Package, now: Date, paidMinutesAgo: Double, madeIn: Double,
                          status: OrderStatus = .completed) async throws {
        let order = Order(userID: try user.requireID(), status: status)
        order.$package.id = package.id
        let paid = now.addingTimeInterval(-paidMinutesAgo * 60)
        order.statusChangedAt = paid.addingTimeInterval(madeIn * 60)
        try await order.create(on: app.db)
        let entitlement = Entitlement(orderID: try order.requireID(), userID: try user.requireID(), packageID: try package.requireID(),
                                      headshotCount: package.headshotCount, rerunCredits: 0, paymentReference: "pi_\(UUID().uuidString.prefix(8))")
        try await entitlement.create(on: app.db)
        try await Entitlement.query(on: app.db).filter(\.$id == entitlement.requireID()).set(\.$createdAt, to: paid).update()
    }

    @Test func theTurnaroundIsTheMedianFromFirstPaymentToDeliveryOfCompletedOrders() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let package = try #require(try await Package.query(on: app.db).filter(\.$code == "professional").first())
            let now = clock.now()
            try await Self.delivered(app, user: user, package: package, now: now, paidMinutesAgo: 300, madeIn: 10)
            try await Self.delivered(app, user: user, package: package, now: now, paidMinutesAgo: 200, madeIn: 30)
            try await Self.delivered(app, user: user, package: package, now: now, paidMinutesAgo: 100, madeIn: 50)
            // Not delivered: left out.
            try await Self.delivered(app, user: user, package: package, now: now, paidMinutesAgo: 50, madeIn: 1, status: .processing)
            let turnaround = try await Browser(app).request(.GET, "/api/v1/turnaround").content.decode(TurnaroundDTO.self)
            #expect(turnaround.medianMinutes == 30 && turnaround.sampleSize == 3, "\(turnaround)")
        }
    }
}
