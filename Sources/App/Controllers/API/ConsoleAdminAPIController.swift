import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// Admin-only console calls: packages, roles, photos (each view audited) and legal holds. Support
/// tokens get 403.
struct ConsoleAdminAPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped(User.guardMiddleware(), RoleGuard(role: .admin))
        admin.get(APIURL.admin(.packages), use: packages)
        admin.patch(APIURL.admin(.package(.key)), use: savePackage)
        admin.put(APIURL.admin(.userRole(.key)), use: setRole)
        admin.get(APIURL.admin(.orderPhoto(.key, photo: .key)), use: photo)
        admin.get(APIURL.admin(.orderHeadshot(.key, asset: .key)), use: headshot)
        admin.post(APIURL.admin(.orderHold(.key)), use: hold)
    }

    @Sendable func packages(req: Request) async throws -> [PackageDTO] {
        try await Catalog.allPackages(on: req.db).map(PackageDTO.init)
    }

    @Sendable func savePackage(req: Request) async throws -> PackageDTO {
        try PackageDTO(try await StaffConsole(req, services: services).update(package: try StaffRequests.uuid(req, "packageID"),
                                                                              try StaffRequests.packageChange(req)))
    }

    @Sendable func setRole(req: Request) async throws -> ConsoleUserDTO {
        try ConsoleUserDTO(try await StaffConsole(req, services: services).setRole(of: try StaffRequests.uuid(req, "userID"), to: try StaffRequests.role(req)))
    }

    @Sendable func photo(req: Request) async throws -> Response {
        try await StaffRequests.photo(req, services: services, headshot: false)
    }

    @Sendable func headshot(req: Request) async throws -> Response {
        try await StaffRequests.photo(req, services: services, headshot: true)
    }

    @Sendable func hold(req: Request) async throws -> ConsoleHoldDTO {
        let order = try await StaffRequests.hold(req, services: services)
        return ConsoleHoldDTO(orderID: try order.requireID(), held: order.legalHoldAt != nil)
    }
}
