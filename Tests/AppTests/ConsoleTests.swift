import Fluent
import Foundation
import NIOCore
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The staff console through the server, pages and API: least privilege (403 for support on admin-only
/// calls, 404 for customers and for headshots nobody attached), tickets with attachments and replies
/// both ways, and an audit event carrying the staff member's id for every action.
@Suite("Staff console") struct ConsoleTests {
    /// A staff member signed in both ways (session cookies for the pages, a bearer token for the API).
    static func staff(_ app: Application, role: User.Role) async throws -> (PhotoClient, User) {
        let user = try await Fixtures.user(app, role: role)
        let browser = Browser(app)
        let login = try await browser.request(.POST, "/api/v1/auth/token", json: ["email": user.email, "password": Fixtures.password])
        try await Fixtures.logIn(browser, email: user.email)
        return (PhotoClient(browser: browser, token: try Browser.extract(#""token":"([^"]+)""#, from: login.body.string)), user)
    }

    static func api(_ client: PhotoClient, _ method: HTTPMethod, _ path: String, _ json: String? = nil) async throws -> TestingHTTPResponse {
        var headers = client.auth
        if json != nil { headers.contentType = .json }
        return try await client.browser.request(method, "/api/v1" + path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// A customer's ticket about their completed order with one headshot attached (through the contact page).
    static func reportedOrder(_ app: Application) async throws -> (customer: PhotoClient, user: User, order: UUID, ticket: UUID, attached: UUID, other: UUID) {
        let (customer, order, user) = try await RerunTests.completedOrderAndOwner(app, credits: 1)
        let assets = try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order).sort(\.$sequence).all()
        let attached = try assets[0].requireID(), other = try assets[1].requireID()
        let o = order.uuidString.lowercased(), a = attached.uuidString.lowercased()
        let form = try await customer.browser.request(.GET, "/contact?order_id=\(o)&about=Corporate%20Grey%201&headshot_id=\(a)").body.string
        #expect(form.contains(#"name="headshot_ids[]" value="\#(a)""#) && form.contains("/orders/\(o)/headshots/\(a)/thumbnail"), "the reported headshot is attached")
        let csrf = try await customer.browser.csrfToken()
        let body = Browser.encode(["category": "doesnt_look_like_me", "order_id": o, "message": "About Corporate Grey 1: the nose is not mine.",
                                   CSRF.fieldName: csrf]) + "&headshot_ids%5B%5D=\(a)"
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        let sent = try await customer.browser.request(.POST, "/contact", headers: headers, body: ByteBuffer(string: body))
        let ticket = try #require(try await SupportTicket.query(on: app.db).first())
        let ticketPath = "/support/\(try ticket.requireID().uuidString.lowercased())?notice=sent"
        #expect(sent.status == .seeOther && sent.headers.first(name: .location) == ticketPath)
        #expect(try await SupportAttachment.query(on: app.db).filter(\.$ticket.$id == ticket.requireID()).all(\.$asset.$id) == [attached])
        return (customer, user, order, try ticket.requireID(), attached, other)
    }

    @Test func supportIsRefusedAdminOnlyCallsWith403AndSeesOnlyAttachedHeadshots() async throws {
        try await withTestApp { app, _ in
            let report = try await Self.reportedOrder(app)
            let (support, _) = try await Self.staff(app, role: .support)
            let (admin, adminUser) = try await Self.staff(app, role: .admin)
            let order = report.order.uuidString.lowercased(), ticket = report.ticket.uuidString.lowercased()
            let photo = try #require(try await UploadAsset.query(on: app.db).filter(\.$order.$id == report.order).first()?.id).uuidString.lowercased()
            let package = try #require(try await Package.query(on: app.db).first()?.id).uuidString.lowercased()

            // The console itself: support and admins in, customers find nothing there.
            #expect(try await support.browser.request(.GET, "/admin").status == .ok)
            #expect(try await report.customer.browser.request(.GET, "/admin").status == .notFound)
            #expect(try await Self.api(report.customer, .GET, "/admin").status == .notFound)
            #expect(try await Self.api(report.customer, .GET, "/admin/tickets/\(ticket)").status == .notFound)

            // Admin-only pages and calls: 403 for support, 200 for an admin.
            for path in ["/admin/packages", "/admin/orders/\(order)/photos/\(photo)"] {
                #expect(try await support.browser.request(.GET, path).status == .forbidden, "\(path)")
                #expect(try await admin.browser.request(.GET, path).status == .ok, "\(path)")
            }
            #expect(try await support.browser.submit("/admin/packages/\(package)", ["price_minor": "100"]).status == .forbidden)
            #expect(try await Self.api(support, .GET, "/admin/packages").status == .forbidden)
            #expect(try await Self.api(support, .PATCH, "/admin/packages/\(package)", #"{"price_minor":100}"#).status == .forbidden)
            #expect(try await Self.api(support, .PUT, "/admin/users/\(report.user.id!.uuidString)/role", #"{"role":"admin"}"#).status == .forbidden)
            #expect(try await Self.api(support, .GET, "/admin/orders/\(order)/photos/\(photo)").status == .forbidden)
            #expect(try await Self.api(support, .POST, "/admin/orders/\(order)/legal-hold", #"{"reason":"court order 7"}"#).status == .forbidden)
            #expect(try await User.find(report.user.id, on: app.db)?.role == .user, "nothing changed")

            // Headshots: the attached one to support, page and API; any other is 404.
            let attached = report.attached.uuidString.lowercased(), other = report.other.uuidString.lowercased()
            let seen = try await support.browser.request(.GET, "/admin/tickets/\(ticket)/attachments/\(attached)")
            #expect(seen.status == .ok && seen.headers.contentType == .jpeg && seen.headers.first(name: .cacheControl) == "private, no-store")
            #expect(try await Self.api(support, .GET, "/admin/tickets/\(ticket)/attachments/\(attached)").status == .ok)
            #expect(try await support.browser.request(.GET, "/admin/tickets/\(ticket)/attachments/\(other)").status == .notFound)
            #expect(try await Self.api(support, .GET, "/admin/tickets/\(ticket)/attachments/\(other)").status == .notFound)
            let thread = try await Self.api(support, .GET, "/admin/tickets/\(ticket)").body.string.replacingOccurrences(of: "\\/", with: "/").lowercased()
            #expect(thread.contains(report.user.email) && thread.contains("/api/v1/admin/tickets/\(ticket)/attachments/\(attached)"))
            #expect(!thread.contains(other), "support is not told of headshots nobody attached")
            let file = try await Self.api(support, .GET, "/admin/orders/\(order)").body.string.lowercased()
            #expect(!file.contains(photo) && file.contains(#""audit":"#), "support sees metadata and the trail, not photos")
            #expect(try await Self.api(admin, .GET, "/admin/orders/\(order)").body.string.lowercased().contains(photo))

            // An admin's look at a photo is audited with their id.
            let views = try await AuditEvent.query(on: app.db).filter(\.$action == "admin.photo_viewed").all()
            #expect(views.count == 1 && views.first?.actorID == adminUser.id)
        }
    }

    @Test func supportAnswersATicketTheCustomerSeesTheReplyAndEveryConsoleActionIsAuditedWithTheStaffID() async throws {
        try await withTestApp { app, _ in
            let report = try await Self.reportedOrder(app)
            let (support, supportUser) = try await Self.staff(app, role: .support)
            let (admin, adminUser) = try await Self.staff(app, role: .admin)
            let ticket = report.ticket.uuidString.lowercased(), order = report.order.uuidString.lowercased()

            // The ticket in the console, with the attached headshot; a reply from the page.
            let page = try await support.browser.request(.GET, "/admin/tickets/\(ticket)").body.string
            #expect(page.contains("the nose is not mine") && page.contains("/admin/tickets/\(ticket)/attachments/\(report.attached.uuidString.lowercased())"))
            let replied = try await support.browser.submit("/admin/tickets/\(ticket)/replies",
                                                           ["message": "Sorry about that: we are re-making that style for you now."])
            #expect(replied.status == .seeOther)
            let mail = try #require(try await Fixtures.mail(app, to: report.user.email).last)
            #expect(mail.textBody.contains("we are re-making that style") && mail.textBody.contains("/support/\(ticket)"))
            #expect(try await SupportTicket.find(report.ticket, on: app.db)?.status == .pending)

            // One click: a free credit granted and spent; the customer's own credit is untouched.
            let rerun = try await support.browser.submit("/admin/orders/\(order)/reruns", ["style": "corporate-grey", "back": "/admin/tickets/\(ticket)"])
            #expect(rerun.status == .seeOther && rerun.headers.first(name: .location) == "/admin/tickets/\(ticket)?notice=rerun")
            #expect(try await RerunTests.reruns(app, report.order).count == 1)
            #expect(try await RerunTests.credits(app, report.order) == 1)

            // The customer sees the reply on their page and answers; the ticket opens again.
            let thread = try await report.customer.browser.request(.GET, "/support/\(ticket)").body.string
            #expect(thread.contains("we are re-making that style") && thread.contains("Waiting for your reply"))
            #expect(try await report.customer.browser.submit("/support/\(ticket)/replies", ["message": "Thank you, that was quick!"]).status == .seeOther)
            #expect(try await SupportTicket.find(report.ticket, on: app.db)?.status == .open)
            let twin = try await Self.api(report.customer, .GET, "/support-tickets/\(ticket)").body.string
            #expect(twin.contains(#""from":"support""#) && twin.contains("Thank you, that was quick!"))
            let (stranger, _) = try await PhotoClient.make(app)
            #expect(try await stranger.browser.request(.GET, "/support/\(ticket)").status == .notFound)
            #expect(try await Self.api(stranger, .GET, "/support-tickets/\(ticket)").status == .notFound)

            // The rest of support's actions, over the API: resolve, look up a user, refund decisions.
            #expect(try await Self.api(support, .POST, "/admin/tickets/\(ticket)/replies", #"{"message":"Done; closing this.","resolve":true}"#).status == .created)
            #expect(try await SupportTicket.find(report.ticket, on: app.db)?.status == .resolved)
            let lookup = try await Self.api(support, .GET, "/admin/users?email=\(report.user.email.prefix(8))")
            #expect(lookup.status == .ok && lookup.body.string.contains(report.user.email))
            #expect(try await Self.api(support, .GET, "/admin/users?email=a").status == .unprocessableEntity)
            try await RefundTests.downloaded(app, try #require(try await Order.find(report.order, on: app.db)))

            // Admin actions.
            let package = try #require(try await Package.query(on: app.db).filter(\.$code == "basic").first())
            let changed = try await Self.api(admin, .PATCH, "/admin/packages/\(package.id!.uuidString)", #"{"rerun_credits":2,"price_minor":3100}"#)
            #expect(changed.status == .ok && changed.body.string.contains(#""rerun_credits":2"#), "\(changed.body.string)")
            #expect(try await Self.api(admin, .PATCH, "/admin/packages/\(package.id!.uuidString)", #"{"price_minor":-5}"#).status == .unprocessableEntity)
            #expect(try await Self.api(admin, .PUT, "/admin/users/\(supportUser.id!.uuidString)/role", #"{"role":"admin"}"#).status == .ok)
            #expect(try await Self.api(admin, .PUT, "/admin/users/\(adminUser.id!.uuidString)/role", #"{"role":"user"}"#).status == .conflict,
                    "an admin cannot lock themselves out")
            #expect(try await admin.browser.submit("/admin/orders/\(order)/legal-hold", ["reason": "Court order 2026-114"]).status == .seeOther)
            #expect(try await Order.find(report.order, on: app.db)?.legalHoldAt != nil)

            let byStaff: [(String, UUID?)] = [
                ("ticket.replied", supportUser.id), ("rerun.credit_granted", supportUser.id), ("rerun.started", supportUser.id),
                ("staff.user_lookup", supportUser.id), ("staff.attachment_viewed", nil), ("package.updated", adminUser.id),
                ("user.role_changed", adminUser.id), ("hold_placed", adminUser.id),
            ]
            for (action, staff) in byStaff where staff != nil {
                let events = try await AuditEvent.query(on: app.db).filter(\.$action ~~ [action, "order.\(action)"]).all()
                #expect(!events.isEmpty && events.allSatisfy { $0.actorID == staff && $0.actorType == .user }, "\(action): \(events.map(\.actorID))")
            }
            let moves = try await AuditEvent.query(on: app.db).filter(\.$action == "ticket.status_changed").all()
            #expect(moves.contains { $0.toState == "pending" && $0.actorID == supportUser.id } && moves.contains { $0.toState == "open" && $0.actorID == report.user.id })
        }
    }

    @Test func aRefundSupportMustDecideIsApprovedFromTheOrderPageOnceWithTheStaffID() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (customer, order) = try await RefundTests.paidOrder(app)
            try await RefundTests.downloaded(app, order)
            let id = try order.requireID().uuidString.lowercased()
            let asked = try await RefundTests.post(customer, "/orders/\(id)/refund-requests", #"{"reason":"The style is wrong"}"#)
            #expect(asked.body.string.contains(#""status":"requested""#), "outside the policy: it goes to support")
            let refund = try #require(try await RefundRequest.query(on: app.db).first())
            let (support, supportUser) = try await Self.staff(app, role: .support)
            let overview = try await support.browser.request(.GET, "/admin").body.string
            #expect(overview.contains("The style is wrong"))
            let page = try await support.browser.request(.GET, "/admin/orders/\(id)").body.string
            #expect(page.contains(#"id="approve-refund""#) && page.contains("awaiting_payment"), "the trail and the time in each state are shown")
            let approved = try await support.browser.submit("/admin/refund-requests/\(refund.id!.uuidString)/approve", [:])
            #expect(approved.status == .seeOther && approved.headers.first(name: .location) == "/admin/orders/\(id)?notice=approved")
            #expect(try await RefundRequest.find(refund.id, on: app.db)?.status == .refunded)
            #expect(try await Order.find(order.id, on: app.db)?.status == .refunded)
            #expect(try await support.browser.submit("/admin/refund-requests/\(refund.id!.uuidString)/approve", [:]).status == .conflict, "never twice")
            let moved = try await AuditEvent.query(on: app.db).filter(\.$subjectID == refund.id).filter(\.$toState == "approved").all()
            #expect(moved.count == 1 && moved.first?.actorID == supportUser.id)
        }
    }
}
