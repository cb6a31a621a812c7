import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// Admin-only console pages: packages, roles, photos (each view audited) and legal holds.
struct ConsoleAdminController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.admin(.packages), use: packages)
        routes.post(SiteURL.admin(.package(.key)), use: savePackage)
        routes.post(SiteURL.admin(.userRole(.key)), use: setRole)
        routes.get(SiteURL.admin(.orderPhoto(.key, photo: .key)), use: photo)
        routes.get(SiteURL.admin(.orderHeadshot(.key, asset: .key)), use: headshot)
        routes.post(SiteURL.admin(.orderHold(.key)), use: hold)
    }

    @Sendable func packages(req: Request) async throws -> Response {
        AdminPages.packages(req.viewer, try await Catalog.allPackages(on: req.db), notice: ConsoleController.notice(req))
    }

    @Sendable func savePackage(req: Request) async throws -> Response {
        do {
            _ = try await StaffConsole(req, services: services).update(package: try StaffRequests.uuid(req, "packageID"), try StaffRequests.packageChange(req))
        } catch AccountError.invalidInput(let errors) {
            return AdminPages.packages(req.viewer, try await Catalog.allPackages(on: req.db), notice: nil, errors: errors)
        }
        return req.redirect(to: SiteURL.admin(.packages).path(["notice": "saved"]), redirectType: .normal)
    }

    @Sendable func setRole(req: Request) async throws -> Response {
        let user = try await StaffConsole(req, services: services).setRole(of: try StaffRequests.uuid(req, "userID"), to: try StaffRequests.role(req))
        return req.redirect(to: SiteURL.admin(.users).path(["email": user.email, "notice": "role"]), redirectType: .normal)
    }

    @Sendable func photo(req: Request) async throws -> Response {
        try await StaffRequests.photo(req, services: services, headshot: false)
    }

    @Sendable func headshot(req: Request) async throws -> Response {
        try await StaffRequests.photo(req, services: services, headshot: true)
    }

    @Sendable func hold(req: Request) async throws -> Response {
        let order = try await StaffRequests.hold(req, services: services)
        return req.redirect(to: SiteURL.admin(.order(.value(try order.requireID()))).path(["notice": "hold"]), redirectType: .normal)
    }
}
