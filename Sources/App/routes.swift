import HeadshotCore
import SiteRoutes
import Vapor

func routes(_ app: Application, services: AppServices) throws {
    try app.register(collection: OpsController(services: services))
    // Provider webhooks: no session, no CSRF; verified by signature.
    try app.register(collection: WebhookController(services: services))
    if let secret = services.config.remoteWebhookSecret {
        try app.register(collection: RemoteWebhookController(services: services, secret: secret))
    }
    if case .remote = services.config.generator {
        try app.register(collection: RemoteReferenceController(services: services))
    }

    let pages = app.grouped(CSRFMiddleware(mode: .pages, services: services))
    try pages.register(collection: LandingController(services: services))
    try pages.register(collection: AuthPagesController(services: services))
    // Deletion status and receipts answer the owner or the holder of the receipt code (signed out after an account deletion).
    try pages.register(collection: DeletionPagesController(services: services))
    // Help, terms and contact: open to everyone; the contact page offers a signed-in customer the ticket form.
    try pages.register(collection: HelpPagesController(services: services))
    // An invitation's join page says what it is to anyone with the link; joining needs a login.
    try pages.register(collection: JoinPagesController(services: services))
    let signedIn = pages.grouped(PageLoginGuard(), UnreadNotificationsMiddleware())
    try signedIn.register(collection: DashboardController())
    try signedIn.register(collection: AccountPagesController(services: services))
    try signedIn.register(collection: OrderPagesController(services: services))
    try signedIn.register(collection: CheckoutPagesController(services: services))
    try signedIn.register(collection: OrderStatusController(services: services))
    try signedIn.register(collection: NotificationsController(services: services))
    try signedIn.register(collection: GalleryController(services: services))
    try signedIn.register(collection: SupportPagesController(services: services))
    try signedIn.register(collection: TeamPagesController(services: services))
    // The staff console: support and admins; admin-only pages answer support with 403, everyone else with 404.
    let console = signedIn.grouped(RoleGuard(role: .support))
    try console.register(collection: ConsoleController(services: services))
    try console.register(collection: ConsoleTicketsController(services: services))
    try console.register(collection: ConsoleKPIController(services: services))
    try console.grouped(RoleGuard(role: .admin)).register(collection: ConsoleAdminController(services: services))
    // Signed download links: the owner's session (or API token) is checked by the controller itself,
    // so a signed-out request gets 401 rather than a redirect.
    try pages.grouped(BearerAuthenticator(clock: services.clock), TeamTokenScope()).register(collection: DownloadsController(services: services))
    if services.payments is SandboxGateway {
        try pages.register(collection: SandboxCheckoutController(services: services))
    }
    if app.environment == .development {
        try pages.register(collection: DevOutboxController(services: services))
    }

    let api = app.grouped(APIURL.prefix.map { PathComponent(stringLiteral: $0) }).grouped(BearerAuthenticator(clock: services.clock), TeamTokenScope(), CSRFMiddleware(mode: .api, services: services))
    try api.register(collection: OpenAPIController(services: services))
    try api.register(collection: CatalogAPIController(services: services))
    try api.register(collection: AuthAPIController(services: services))
    try api.register(collection: AccountAPIController(services: services))
    try api.register(collection: OrdersAPIController(services: services))
    try api.register(collection: RefundsAPIController(services: services))
    try api.register(collection: RerunsAPIController(services: services))
    try api.register(collection: TeamsAPIController(services: services))
    try api.register(collection: ConsoleAPIController(services: services))
    try api.register(collection: ConsoleAdminAPIController(services: services))
    try api.register(collection: DeletionsAPIController(services: services))
    try api.register(collection: DataExportsAPIController(services: services))
    try api.register(collection: NotificationsAPIController(services: services))
    try api.register(collection: HeadshotsAPIController(services: services))
    try api.register(collection: SupportAPIController(services: services))
}
