import Vapor

func routes(_ app: Application) throws {
    try app.register(collection: OpsController())
    // Provider webhooks: no session, no CSRF; verified by signature.
    try app.register(collection: WebhookController())

    let pages = app.grouped(CSRFMiddleware(mode: .pages))
    try pages.register(collection: LandingController())
    try pages.register(collection: AuthPagesController())
    let signedIn = pages.grouped(PageLoginGuard(), UnreadNotificationsMiddleware())
    try signedIn.register(collection: DashboardController())
    try signedIn.register(collection: AccountPagesController())
    try signedIn.register(collection: OrderPagesController())
    try signedIn.register(collection: CheckoutPagesController())
    try signedIn.register(collection: OrderStatusController())
    try signedIn.register(collection: NotificationsController())
    try signedIn.register(collection: GalleryController())
    // Signed download links: the owner's session (or API token) is checked by the controller itself,
    // so a signed-out request gets 401 rather than a redirect.
    try pages.grouped(BearerAuthenticator()).register(collection: DownloadsController())
    if app.paymentGateway is SandboxGateway {
        try pages.register(collection: SandboxCheckoutController())
    }
    if app.environment != .production {
        try pages.register(collection: DevOutboxController())
    }

    let api = app.grouped("api", "v1").grouped(BearerAuthenticator(), CSRFMiddleware(mode: .api))
    try api.register(collection: OpenAPIController())
    try api.register(collection: CatalogAPIController())
    try api.register(collection: AuthAPIController())
    try api.register(collection: AccountAPIController())
    try api.register(collection: OrdersAPIController())
    try api.register(collection: RefundsAPIController())
    try api.register(collection: NotificationsAPIController())
    try api.register(collection: HeadshotsAPIController())
}
