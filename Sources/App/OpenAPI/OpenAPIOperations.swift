/// Every operation of /api/v1. A test checks this list against the routes the app registers, both ways.
enum OpenAPIOperations {
    struct Operation {
        let method: String
        /// OpenAPI form, e.g. /me/tokens/{tokenID}
        let path: String
        let id: String
        let tag: String
        let summary: String
        let secured: Bool
        let requestSchema: String?
        /// status → schema name (nil for no body)
        let responses: [(Int, String?)]
    }

    static let all: [Operation] = [
        .init(method: "get", path: "/openapi.json", id: "getOpenAPI", tag: "meta", summary: "This document", secured: false, requestSchema: nil, responses: [(200, nil)]),
        .init(method: "get", path: "/packages", id: "listPackages", tag: "catalog", summary: "Packages for sale, with prices in minor units", secured: false, requestSchema: nil, responses: [(200, "PackageList")]),
        .init(method: "get", path: "/turnaround", id: "getTurnaround", tag: "catalog", summary: "Measured delivery time of recent orders", secured: false, requestSchema: nil, responses: [(200, "Turnaround")]),
        .init(method: "post", path: "/users", id: "signUp", tag: "auth", summary: "Sign up; a confirmation link is emailed. Same answer for known addresses.", secured: false, requestSchema: "SignUpRequest", responses: [(202, "Message"), (422, "Error")]),
        .init(method: "post", path: "/auth/token", id: "logIn", tag: "auth", summary: "Log in: exchange email and password for a 30-day bearer token", secured: false, requestSchema: "LogInRequest", responses: [(201, "LoginToken"), (401, "Error"), (403, "Error"), (429, "Error")]),
        .init(method: "delete", path: "/auth/token", id: "logOut", tag: "auth", summary: "Log out: revoke the token used for this call", secured: true, requestSchema: nil, responses: [(204, nil), (401, "Error")]),
        .init(method: "post", path: "/auth/email-verification", id: "verifyEmail", tag: "auth", summary: "Confirm an email address with the emailed token", secured: false, requestSchema: "TokenRequest", responses: [(200, "User"), (410, "Error")]),
        .init(method: "post", path: "/auth/password-reset-requests", id: "requestPasswordReset", tag: "auth", summary: "Email a single-use reset link (30 minutes). Same answer for unknown addresses.", secured: false, requestSchema: "EmailRequest", responses: [(202, "Message"), (422, "Error")]),
        .init(method: "post", path: "/auth/password-resets", id: "resetPassword", tag: "auth", summary: "Set a new password with a reset token; signs out everywhere", secured: false, requestSchema: "ResetPasswordRequest", responses: [(204, nil), (410, "Error"), (422, "Error")]),
        .init(method: "get", path: "/me", id: "getMe", tag: "account", summary: "The signed-in user", secured: true, requestSchema: nil, responses: [(200, "User"), (401, "Error")]),
        .init(method: "post", path: "/me/password", id: "changePassword", tag: "account", summary: "Change password; revokes all browser sessions and API logins", secured: true, requestSchema: "ChangePasswordRequest", responses: [(204, nil), (401, "Error"), (422, "Error")]),
        .init(method: "post", path: "/me/email-verification", id: "resendVerification", tag: "account", summary: "Send the confirmation link again", secured: true, requestSchema: nil, responses: [(202, nil), (401, "Error")]),
        .init(method: "get", path: "/me/tokens", id: "listTokens", tag: "account", summary: "Personal access tokens", secured: true, requestSchema: nil, responses: [(200, "APITokenList"), (401, "Error")]),
        .init(method: "post", path: "/me/tokens", id: "createToken", tag: "account", summary: "Create a personal access token (plaintext shown once)", secured: true, requestSchema: "CreateTokenRequest", responses: [(201, "CreatedToken"), (401, "Error"), (422, "Error")]),
        .init(method: "delete", path: "/me/tokens/{tokenID}", id: "revokeToken", tag: "account", summary: "Revoke a personal access token", secured: true, requestSchema: nil, responses: [(204, nil), (404, "Error")]),
        .init(method: "get", path: "/me/sessions", id: "listSessions", tag: "account", summary: "Browsers where the user is signed in", secured: true, requestSchema: nil, responses: [(200, "SessionList"), (401, "Error")]),
        .init(method: "delete", path: "/me/sessions/{sessionID}", id: "revokeSession", tag: "account", summary: "Sign a browser out", secured: true, requestSchema: nil, responses: [(204, nil), (404, "Error")]),
        .init(method: "get", path: "/orders", id: "listOrders", tag: "orders", summary: "The user's orders with status (the dashboard)", secured: true, requestSchema: nil, responses: [(200, "OrderList"), (401, "Error")]),
        .init(method: "post", path: "/orders", id: "createOrder", tag: "orders", summary: "Open the user's draft order, or start one", secured: true, requestSchema: nil, responses: [(201, "Order"), (401, "Error")]),
        .init(method: "get", path: "/orders/{orderID}", id: "getOrder", tag: "orders", summary: "One order", secured: true, requestSchema: nil, responses: [(200, "Order"), (404, "Error")]),
        .init(method: "get", path: "/orders/{orderID}/photos", id: "listPhotos", tag: "photos", summary: "The order's photos with their verdicts, and the set's readiness", secured: true, requestSchema: nil, responses: [(200, "PhotoSet"), (404, "Error")]),
        .init(method: "post", path: "/orders/{orderID}/photos", id: "uploadPhotos", tag: "photos", summary: "Upload and check photos; a refused photo answers with a code saying why and how to fix it", secured: true, requestSchema: "PhotoUpload", responses: [(201, "UploadResult"), (400, "Error"), (404, "Error"), (409, "Error"), (413, "Error"), (422, "Error"), (429, "Error")]),
        .init(method: "get", path: "/orders/{orderID}/photos/readiness", id: "getReadiness", tag: "photos", summary: "Whether the set is ready: 8–20 usable photos of one person and none to remove", secured: true, requestSchema: nil, responses: [(200, "Readiness"), (404, "Error")]),
        .init(method: "delete", path: "/orders/{orderID}/photos/{photoID}", id: "deletePhoto", tag: "photos", summary: "Remove a photo (its files and face data are deleted)", secured: true, requestSchema: nil, responses: [(204, nil), (404, "Error"), (409, "Error")]),
        .init(method: "post", path: "/orders/{orderID}/checkout", id: "startCheckout", tag: "checkout", summary: "Choose package and styles, consent, and get the payment page URL; prices come from the package, never from the request", secured: true, requestSchema: "CheckoutRequest", responses: [(201, "CheckoutSession"), (404, "Error"), (409, "Error"), (422, "Error")]),
        .init(method: "post", path: "/orders/{orderID}/refund-requests", id: "requestRefund", tag: "refunds", summary: "Ask for a refund of a paid order", secured: true, requestSchema: "RefundRequestBody", responses: [(201, "Refund"), (404, "Error"), (409, "Error")]),
        .init(method: "get", path: "/orders/{orderID}/refund-requests", id: "listRefunds", tag: "refunds", summary: "Refund requests of an order", secured: true, requestSchema: nil, responses: [(200, "RefundList"), (404, "Error")]),
        .init(method: "post", path: "/refund-requests/{refundID}/approve", id: "approveRefund", tag: "refunds", summary: "Support: approve and pay back (revokes the entitlement, cancels queued work)", secured: true, requestSchema: nil, responses: [(200, "Refund"), (404, "Error"), (409, "Error"), (502, "Error")]),
        .init(method: "post", path: "/refund-requests/{refundID}/reject", id: "rejectRefund", tag: "refunds", summary: "Support: reject a refund request", secured: true, requestSchema: "RejectRefundBody", responses: [(200, "Refund"), (404, "Error"), (409, "Error")]),
        .init(method: "get", path: "/orders/{orderID}/status", id: "getOrderStatus", tag: "orders", summary: "Live status: state, headshots done of total, queue position and an ETA band from measured throughput", secured: true, requestSchema: nil, responses: [(200, "OrderStatus"), (404, "Error")]),
        .init(method: "get", path: "/notifications", id: "listNotifications", tag: "notifications", summary: "In-app notifications, newest first, with the unread count", secured: true, requestSchema: nil, responses: [(200, "NotificationList"), (401, "Error")]),
        .init(method: "post", path: "/notifications/{notificationID}/read", id: "markNotificationRead", tag: "notifications", summary: "Mark a notification as read", secured: true, requestSchema: nil, responses: [(200, "Notification"), (404, "Error")]),
        .init(method: "get", path: "/orders/{orderID}/headshots", id: "listHeadshots", tag: "gallery", summary: "A completed order's headshots, each with signed download links (15 minutes, for the caller only)", secured: true, requestSchema: nil, responses: [(200, "HeadshotList"), (404, "Error"), (409, "Error")]),
        .init(method: "put", path: "/orders/{orderID}/headshots/{assetID}/favourite", id: "setFavourite", tag: "gallery", summary: "Mark or unmark a headshot as a favourite", secured: true, requestSchema: "FavouriteBody", responses: [(200, "Headshot"), (404, "Error")]),
        .init(method: "post", path: "/orders/{orderID}/bundles", id: "createBundleLink", tag: "gallery", summary: "A signed link to a ZIP of all headshots or of the favourites, streamed as it is built", secured: true, requestSchema: "BundleRequest", responses: [(201, "BundleLink"), (404, "Error"), (409, "Error"), (422, "Error")]),
        .init(method: "post", path: "/orders/{orderID}/headshots/{assetID}/shares", id: "createShareLink", tag: "gallery", summary: "A share link to one headshot that works without signing in, for 1 or 7 days or until revoked", secured: true, requestSchema: "ShareRequest", responses: [(201, "ShareLink"), (404, "Error"), (422, "Error")]),
        .init(method: "delete", path: "/orders/{orderID}/shares/{shareID}", id: "revokeShareLink", tag: "gallery", summary: "Revoke a share link at once", secured: true, requestSchema: nil, responses: [(204, nil), (404, "Error")]),
        .init(method: "get", path: "/presets", id: "listPresets", tag: "catalog", summary: "The five style presets", secured: false, requestSchema: nil, responses: [(200, "PresetList")]),
        .init(method: "get", path: "/consent-policy", id: "getConsentPolicy", tag: "catalog", summary: "What we process and keep, shown before payment; its version is stored with each consent", secured: false, requestSchema: nil, responses: [(200, "ConsentPolicy")]),
        .init(method: "get", path: "/orders/{orderID}/photos/{photoID}/thumbnail", id: "getThumbnail", tag: "photos", summary: "A thumbnail (size=256 or 1024), metadata-free JPEG", secured: true, requestSchema: nil, responses: [(200, "JPEG"), (404, "Error")]),
    ]
}
