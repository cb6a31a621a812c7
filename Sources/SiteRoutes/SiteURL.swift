import Foundation

/// A value that stands in a path segment.
package protocol PathValue: Sendable {
    var pathSegment: String { get }
}

extension UUID: PathValue {
    package var pathSegment: String { lowercasedString }
}

extension String: PathValue {
    package var pathSegment: String { self }
}

/// A path parameter: `.key` where a route is registered (`:orderID`), `.value` where a link is built.
package enum Parameter<Value: PathValue>: Sendable {
    case key
    case value(Value)
}

/// One segment of a path: fixed text, or a named parameter (with its value when a link is built).
package enum PathSegment: Sendable, Equatable {
    case constant(String)
    case parameter(String, value: String?)

    package static func parameter<Value>(_ name: String, _ parameter: Parameter<Value>) -> PathSegment {
        switch parameter {
        case .key: .parameter(name, value: nil)
        case .value(let value): .parameter(name, value: value.pathSegment)
        }
    }
}

/// Something the site serves at a path made of segments.
package protocol SitePath: Sendable {
    var segments: [PathSegment] { get }
}

extension SitePath {
    /// The path of a link, e.g. `/orders/5f…/photos`.
    package var path: String {
        "/" + segments.map { segment in
            switch segment {
            case .constant(let text): text
            case .parameter(let name, let value): value ?? ":" + name
            }
        }.joined(separator: "/")
    }

    /// The path with a query string; values are percent-encoded (all but RFC 3986's unreserved characters).
    package func path(_ query: KeyValuePairs<String, String>) -> String {
        guard !query.isEmpty else { return path }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return path + "?" + query.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }

    /// The absolute address of the path on the site at `base` (for emails and provider callbacks).
    package func absolute(on base: URL, _ query: KeyValuePairs<String, String> = [:]) -> String {
        base.absoluteString.trimmingSuffix("/") + path(query)
    }

    /// The path in OpenAPI's form, e.g. `/orders/{orderID}/photos`.
    package var openAPIPath: String {
        "/" + segments.map { segment in
            switch segment {
            case .constant(let text): text
            case .parameter(let name, _): "{\(name)}"
            }
        }.joined(separator: "/")
    }
}

/// Every page, form target, download, webhook and operations path of the site, in one place: the
/// routes are registered from it and every link, redirect and email is built by it, so a path cannot
/// drift between where it is served and where it is linked. The JSON API's paths are `APIURL`.
package enum SiteURL: SitePath {
    case home
    case styles
    case signUp
    case logIn
    case logOut
    case verifyEmail
    case forgotPassword
    case resetPassword
    case dashboard
    case account(AccountAction?)
    /// What the service stores, for how long, and how it is deleted (from the live configuration).
    case privacy
    case help
    case terms
    case contact
    /// A signed-in customer's support requests, and one request's conversation.
    case support
    case ticket(Parameter<UUID>)
    case ticketReplies(Parameter<UUID>)
    /// The staff console (support and admin roles).
    case admin(AdminPage?)
    /// Self-serve deletion: the form posts here; each request has a live status page and its receipt.
    case deletions
    case deletion(Parameter<UUID>, DeletionPage?)
    /// Opening a receipt signed out, with its id and code.
    case receipts
    case notifications
    case notificationRead(Parameter<UUID>)
    case notificationsReadAll
    /// `POST /orders`: "New headshots".
    case orders
    case order(Parameter<UUID>, OrderPage?)
    case headshotDownload(Parameter<UUID>, variant: Parameter<String>)
    case bundleDownload(Parameter<UUID>, file: Parameter<String>)
    case exportDownload(Parameter<UUID>)
    case shared(Parameter<UUID>)
    case sandboxCheckout(Parameter<String>)
    case webhook(Parameter<String>)
    /// The predictions provider's webhooks (a constant path beside the payment gateways').
    case remoteWebhook
    /// A reference photo handed to the predictions provider for one job (a signed link, revoked when the job ends).
    case remoteReference(job: Parameter<UUID>, photo: Parameter<UUID>)
    /// Teams: the list (and the form that creates one), one team's page and its form targets.
    case teams
    case team(Parameter<UUID>, TeamPage?)
    /// An invitation's link: the join page, and its form.
    case join(Parameter<String>)
    case devOutbox
    case health
    case ready
    case metrics
    case api(APIURL)
    case asset(Asset)

    package enum AdminPage: Sendable {
        case tickets
        case ticket(Parameter<UUID>)
        case ticketReplies(Parameter<UUID>)
        case ticketStatus(Parameter<UUID>)
        case attachment(Parameter<UUID>, asset: Parameter<UUID>)
        case order(Parameter<UUID>)
        case orderReruns(Parameter<UUID>)
        case refundRequests
        case refundApprove(Parameter<UUID>)
        case refundReject(Parameter<UUID>)
        case users
        case userRole(Parameter<UUID>)
        case packages
        case package(Parameter<UUID>)
        case orderPhoto(Parameter<UUID>, photo: Parameter<UUID>)
        case orderHeadshot(Parameter<UUID>, asset: Parameter<UUID>)
        case orderHold(Parameter<UUID>)
        case kpis
        case kpisCSV
    }


    package enum DeletionPage: Sendable {
        case events
        case receipt
    }

    package enum AccountAction: Sendable {
        case profile
        case password
        case verification
        case tokens
        case revokeToken(Parameter<UUID>)
        case revokeSession(Parameter<UUID>)
        case activity
        case dataExport
    }

    /// The pages and form targets of one order.
    package enum OrderPage: Sendable {
        case photos
        case photoSet
        case deletePhoto(Parameter<UUID>)
        case removeUnusable
        case thumbnail(Parameter<UUID>)
        /// A delivered headshot's thumbnail, to the owner, from the moment it is made.
        case headshotThumbnail(Parameter<UUID>)
        case proceed
        case discard
        case checkout
        case payment
        case receipt
        case refund
        /// A team member's order: submitted on a team seat instead of paid.
        case submit
        case events
        case gallery
        case favourite(Parameter<UUID>)
        case reruns
        case preview(Parameter<UUID>)
        case share(Parameter<UUID>)
        case revokeShare(Parameter<UUID>, share: Parameter<String>)
    }

    /// Files under Public/, served as they are.
    package enum Asset: Sendable {
        case stylesheet
        case script(String)
        case presetExample(String)
    }

    package var segments: [PathSegment] {
        switch self {
        case .home: []
        case .styles: [.constant("styles")]
        case .signUp: [.constant("signup")]
        case .logIn: [.constant("login")]
        case .logOut: [.constant("logout")]
        case .verifyEmail: [.constant("verify-email")]
        case .forgotPassword: [.constant("password"), .constant("forgot")]
        case .resetPassword: [.constant("password"), .constant("reset")]
        case .dashboard: [.constant("dashboard")]
        case .account(let action):
            [.constant("account")] + {
                switch action {
                case nil: []
                case .profile: [.constant("profile")]
                case .password: [.constant("password")]
                case .verification: [.constant("verification")]
                case .tokens: [.constant("tokens")]
                case .revokeToken(let id): [.constant("tokens"), .parameter("tokenID", id), .constant("revoke")]
                case .revokeSession(let id): [.constant("sessions"), .parameter("sessionID", id), .constant("revoke")]
                case .activity: [.constant("activity")]
                case .dataExport: [.constant("data-export")]
                }
            }()
        case .privacy: [.constant("privacy")]
        case .help: [.constant("help")]
        case .terms: [.constant("terms")]
        case .contact: [.constant("contact")]
        case .support: [.constant("support")]
        case .ticket(let id): [.constant("support"), .parameter("ticketID", id)]
        case .ticketReplies(let id): [.constant("support"), .parameter("ticketID", id), .constant("replies")]
        case .admin(let page): [.constant("admin")] + (page.map(AdminPage.segments) ?? [])
        case .deletions: [.constant("deletions")]
        case .deletion(let id, let page):
            [.constant("deletions"), .parameter("deletionID", id)] + {
                switch page {
                case nil: []
                case .events: [.constant("events")]
                case .receipt: [.constant("receipt.json")]
                }
            }()
        case .receipts: [.constant("receipts")]
        case .notifications: [.constant("notifications")]
        case .notificationRead(let id): [.constant("notifications"), .parameter("notificationID", id), .constant("read")]
        case .notificationsReadAll: [.constant("notifications"), .constant("read-all")]
        case .orders: [.constant("orders")]
        case .order(let id, let page):
            [.constant("orders"), .parameter("orderID", id)] + {
                switch page {
                case nil: []
                case .photos: [.constant("photos")]
                case .photoSet: [.constant("photos"), .constant("set")]
                case .deletePhoto(let photo): [.constant("photos"), .parameter("photoID", photo), .constant("delete")]
                case .removeUnusable: [.constant("photos"), .constant("remove-unusable")]
                case .thumbnail(let photo): [.constant("photos"), .parameter("photoID", photo), .constant("thumbnail")]
                case .headshotThumbnail(let asset): [.constant("headshots"), .parameter("assetID", asset), .constant("thumbnail")]
                case .proceed: [.constant("continue")]
                case .discard: [.constant("discard")]
                case .checkout: [.constant("checkout")]
                case .payment: [.constant("payment")]
                case .receipt: [.constant("receipt")]
                case .refund: [.constant("refund")]
                case .submit: [.constant("submit")]
                case .events: [.constant("events")]
                case .gallery: [.constant("gallery")]
                case .reruns: [.constant("reruns")]
                case .favourite(let asset): [.constant("gallery"), .parameter("assetID", asset), .constant("favourite")]
                case .preview(let asset): [.constant("gallery"), .parameter("assetID", asset), .constant("preview")]
                case .share(let asset): [.constant("gallery"), .parameter("assetID", asset), .constant("share")]
                case .revokeShare(let asset, let share):
                    [.constant("gallery"), .parameter("assetID", asset), .constant("shares"), .parameter("shareID", share), .constant("revoke")]
                }
            }()
        case .headshotDownload(let id, let variant):
            [.constant("downloads"), .constant("headshots"), .parameter("assetID", id), .parameter("variant", variant)]
        case .bundleDownload(let order, let file):
            [.constant("downloads"), .constant("orders"), .parameter("orderID", order), .parameter("bundle", file)]
        case .exportDownload(let id): [.constant("downloads"), .constant("exports"), .parameter("exportID", id), .constant("data.zip")]
        case .shared(let id): [.constant("shared"), .parameter("shareID", id)]
        case .sandboxCheckout(let reference): [.constant("sandbox"), .constant("checkout"), .parameter("reference", reference)]
        case .webhook(let gateway): [.constant("webhooks"), .parameter("gateway", gateway)]
        case .remoteWebhook: [.constant("webhooks"), .constant("remote")]
        case .remoteReference(let job, let photo): [.constant("remote-references"), .parameter("jobID", job), .parameter("photoID", photo)]
        case .teams: [.constant("teams")]
        case .team(let id, let page): [.constant("teams"), .parameter("teamID", id)] + (page.map(TeamPage.segments) ?? [])
        case .join(let token): [.constant("join"), .parameter("token", token)]
        case .devOutbox: [.constant("dev"), .constant("outbox")]
        case .health: [.constant("healthz")]
        case .ready: [.constant("readyz")]
        case .metrics: [.constant("metrics")]
        case .api(let api): APIURL.prefix.map { .constant($0) } + api.segments
        case .asset(.stylesheet): [.constant("css"), .constant("app.css")]
        case .asset(.script(let name)): [.constant("js"), .constant(name)]
        case .asset(.presetExample(let preset)): [.constant("images"), .constant("presets"), .constant(preset + ".jpg")]
        }
    }
}

extension SiteURL.AdminPage {
    /// Under `/admin` (the site) or `/api/v1/admin` (the API): one enum, the same paths.
    package static func segments(_ page: Self) -> [PathSegment] {
        switch page {
        case .tickets: [.constant("tickets")]
        case .ticket(let id): [.constant("tickets"), .parameter("ticketID", id)]
        case .ticketReplies(let id): [.constant("tickets"), .parameter("ticketID", id), .constant("replies")]
        case .ticketStatus(let id): [.constant("tickets"), .parameter("ticketID", id), .constant("status")]
        case .attachment(let id, let asset): [.constant("tickets"), .parameter("ticketID", id), .constant("attachments"), .parameter("assetID", asset)]
        case .order(let id): [.constant("orders"), .parameter("orderID", id)]
        case .orderReruns(let id): [.constant("orders"), .parameter("orderID", id), .constant("reruns")]
        case .refundRequests: [.constant("refund-requests")]
        case .refundApprove(let id): [.constant("refund-requests"), .parameter("refundID", id), .constant("approve")]
        case .refundReject(let id): [.constant("refund-requests"), .parameter("refundID", id), .constant("reject")]
        case .users: [.constant("users")]
        case .userRole(let id): [.constant("users"), .parameter("userID", id), .constant("role")]
        case .packages: [.constant("packages")]
        case .package(let id): [.constant("packages"), .parameter("packageID", id)]
        case .orderPhoto(let id, let photo): [.constant("orders"), .parameter("orderID", id), .constant("photos"), .parameter("photoID", photo)]
        case .orderHeadshot(let id, let asset): [.constant("orders"), .parameter("orderID", id), .constant("headshots"), .parameter("assetID", asset)]
        case .orderHold(let id): [.constant("orders"), .parameter("orderID", id), .constant("legal-hold")]
        case .kpis: [.constant("kpis")]
        case .kpisCSV: [.constant("kpis.csv")]
        }
    }
}

extension SiteURL {
    /// A URL on this site (`base`'s origin) as its path and query, so a redirect stays on whatever
    /// address the browser is using (a loopback alias, a second host name); any other URL (a payment
    /// provider's page) as it is.
    package static func sameSite(_ url: String, base: URL) -> String {
        guard let target = URLComponents(string: url), let origin = URLComponents(url: base, resolvingAgainstBaseURL: false),
              target.scheme == origin.scheme, target.host == origin.host, target.port == origin.port else { return url }
        return (target.percentEncodedPath.isEmpty ? "/" : target.percentEncodedPath) + (target.percentEncodedQuery.map { "?" + $0 } ?? "")
    }
}
