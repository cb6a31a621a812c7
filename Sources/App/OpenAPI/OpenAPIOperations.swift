/// Every operation of /api/v1. A test checks this list against the routes the app registers, both ways.
enum OpenAPIOperations {
    struct Operation {
        let method: String
        let url: APIURL
        let id: String
        let tag: String
        let summary: String
        let secured: Bool
        let requestSchema: String?
        /// status → schema name (nil for no body)
        let responses: [(Int, String?)]
        /// An optional integer query parameter naming a page (`?page=N`), when the operation pages.
        var pageQuery: String? = nil
        /// A header carrying a secret that authorises the call without a login (a receipt code).
        var secretHeader: (name: String, required: Bool, description: String)? = nil

        /// OpenAPI form, e.g. /me/tokens/{tokenID}
        var path: String { url.openAPIPath }
    }

    static let all: [Operation] = [
        .init(method: "get", url: .openAPI, id: "getOpenAPI", tag: "meta", summary: "This document", secured: false, requestSchema: nil, responses: [(200, nil)]),
        .init(method: "get", url: .packages, id: "listPackages", tag: "catalog", summary: "Packages for sale, with prices in minor units", secured: false, requestSchema: nil, responses: [(200, "PackageList")]),
        .init(method: "get", url: .turnaround, id: "getTurnaround", tag: "catalog", summary: "Measured delivery time of recent orders", secured: false, requestSchema: nil, responses: [(200, "Turnaround")]),
        .init(method: "post", url: .users, id: "signUp", tag: "auth", summary: "Sign up; a confirmation link is emailed. Same answer for known addresses.", secured: false, requestSchema: "SignUpRequest", responses: [(202, "Message"), (422, "Error"), (429, "Error")]),
        .init(method: "post", url: .authToken, id: "logIn", tag: "auth", summary: "Log in: exchange email and password for a 30-day bearer token", secured: false, requestSchema: "LogInRequest", responses: [(201, "LoginToken"), (401, "Error"), (403, "Error"), (429, "Error")]),
        .init(method: "delete", url: .authToken, id: "logOut", tag: "auth", summary: "Log out: revoke the token used for this call", secured: true, requestSchema: nil, responses: [(204, nil), (401, "Error")]),
        .init(method: "post", url: .authEmailVerification, id: "verifyEmail", tag: "auth", summary: "Confirm an email address with the emailed token", secured: false, requestSchema: "TokenRequest", responses: [(200, "User"), (410, "Error")]),
        .init(method: "post", url: .passwordResetRequests, id: "requestPasswordReset", tag: "auth", summary: "Email a single-use reset link (30 minutes). Same answer for unknown addresses.", secured: false, requestSchema: "EmailRequest", responses: [(202, "Message"), (422, "Error"), (429, "Error")]),
        .init(method: "post", url: .passwordResets, id: "resetPassword", tag: "auth", summary: "Set a new password with a reset token; signs out everywhere", secured: false, requestSchema: "ResetPasswordRequest", responses: [(204, nil), (410, "Error"), (422, "Error")]),
        .init(method: "get", url: .me(nil), id: "getMe", tag: "account", summary: "The signed-in user", secured: true, requestSchema: nil, responses: [(200, "User"), (401, "Error")]),
        .init(method: "post", url: .me(.password), id: "changePassword", tag: "account", summary: "Change password; revokes all browser sessions and API logins, and personal tokens unless keep_tokens is true", secured: true, requestSchema: "ChangePasswordRequest", responses: [(204, nil), (401, "Error"), (422, "Error")]),
        .init(method: "post", url: .me(.emailVerification), id: "resendVerification", tag: "account", summary: "Send the confirmation link again", secured: true, requestSchema: nil, responses: [(202, nil), (401, "Error"), (429, "Error")]),
        .init(method: "get", url: .me(.tokens), id: "listTokens", tag: "account", summary: "Personal access tokens", secured: true, requestSchema: nil, responses: [(200, "APITokenList"), (401, "Error")]),
        .init(method: "post", url: .me(.tokens), id: "createToken", tag: "account", summary: "Create a personal access token (plaintext shown once; expires after expires_in_days, default 90). Needs a browser session, not a token.", secured: true, requestSchema: "CreateTokenRequest", responses: [(201, "CreatedToken"), (401, "Error"), (403, "Error"), (422, "Error")]),
        .init(method: "delete", url: .me(.token(.key)), id: "revokeToken", tag: "account", summary: "Revoke a personal access token", secured: true, requestSchema: nil, responses: [(204, nil), (404, "Error")]),
        .init(method: "get", url: .accountActivity, id: "listActivity", tag: "account", summary: "The user's own activity (sign-ins, uploads, payments, jobs, downloads, deletions), newest first, 50 a page; no personal content", secured: true, requestSchema: nil, responses: [(200, "ActivityPage"), (401, "Error"), (422, "Error")], pageQuery: "page"),
        .init(method: "get", url: .me(.sessions), id: "listSessions", tag: "account", summary: "Browsers where the user is signed in", secured: true, requestSchema: nil, responses: [(200, "SessionList"), (401, "Error")]),
        .init(method: "delete", url: .me(.session(.key)), id: "revokeSession", tag: "account", summary: "Sign a browser out", secured: true, requestSchema: nil, responses: [(204, nil), (404, "Error")]),
        .init(method: "get", url: .orders, id: "listOrders", tag: "orders", summary: "The user's orders with status (the dashboard)", secured: true, requestSchema: nil, responses: [(200, "OrderList"), (401, "Error")]),
        .init(method: "post", url: .orders, id: "createOrder", tag: "orders", summary: "Open the user's draft order, or start one", secured: true, requestSchema: nil, responses: [(201, "Order"), (401, "Error")]),
        .init(method: "delete", url: .order(.key, nil), id: "discardDraft", tag: "orders", summary: "Discard a draft: its photos and face data are deleted (an order that was paid for answers 409; delete it with a deletion request)", secured: true, requestSchema: nil, responses: [(204, nil), (404, "Error"), (409, "Error")]),
        .init(method: "get", url: .order(.key, nil), id: "getOrder", tag: "orders", summary: "One order", secured: true, requestSchema: nil, responses: [(200, "Order"), (404, "Error")]),
        .init(method: "get", url: .order(.key, .photos), id: "listPhotos", tag: "photos", summary: "The order's photos with their verdicts, and the set's readiness", secured: true, requestSchema: nil, responses: [(200, "PhotoSet"), (404, "Error")]),
        .init(method: "post", url: .order(.key, .photos), id: "uploadPhotos", tag: "photos", summary: "Upload and check photos; a refused photo answers with a code saying why and how to fix it", secured: true, requestSchema: "PhotoUpload", responses: [(201, "UploadResult"), (400, "Error"), (404, "Error"), (409, "Error"), (413, "Error"), (422, "Error"), (429, "Error")]),
        .init(method: "post", url: .order(.key, .removeUnusable), id: "removeUnusablePhotos", tag: "photos", summary: "Remove every photo the checks refused, at once (their files and face data are deleted); answers the set", secured: true, requestSchema: nil, responses: [(200, "PhotoSet"), (404, "Error"), (409, "Error")]),
        .init(method: "get", url: .order(.key, .plan), id: "getPlanCapacity", tag: "checkout", summary: "How many different headshots the order's accepted photos give per style, and what each package gives from them", secured: true, requestSchema: nil, responses: [(200, "PlanCapacity"), (404, "Error")]),
        .init(method: "get", url: .order(.key, .readiness), id: "getReadiness", tag: "photos", summary: "Whether the set is ready: 8–20 usable photos of one person and none to remove", secured: true, requestSchema: nil, responses: [(200, "Readiness"), (404, "Error")]),
        .init(method: "delete", url: .order(.key, .photo(.key)), id: "deletePhoto", tag: "photos", summary: "Remove a photo (its files and face data are deleted)", secured: true, requestSchema: nil, responses: [(204, nil), (404, "Error"), (409, "Error")]),
        .init(method: "post", url: .order(.key, .checkout), id: "startCheckout", tag: "checkout", summary: "Choose package and styles, consent, and get the payment page URL; prices come from the package, never from the request", secured: true, requestSchema: "CheckoutRequest", responses: [(201, "CheckoutSession"), (404, "Error"), (409, "Error"), (422, "Error")]),
        .init(method: "post", url: .order(.key, .refundRequests), id: "requestRefund", tag: "refunds", summary: "Ask for a refund of a paid order", secured: true, requestSchema: "RefundRequestBody", responses: [(201, "Refund"), (404, "Error"), (409, "Error")]),
        .init(method: "get", url: .order(.key, .refundRequests), id: "listRefunds", tag: "refunds", summary: "Refund requests of an order", secured: true, requestSchema: nil, responses: [(200, "RefundList"), (404, "Error")]),
        .init(method: "post", url: .approveRefund(.key), id: "approveRefund", tag: "refunds", summary: "Support: approve and pay back (revokes the entitlement, cancels queued work)", secured: true, requestSchema: nil, responses: [(200, "Refund"), (404, "Error"), (409, "Error"), (502, "Error")]),
        .init(method: "post", url: .rejectRefund(.key), id: "rejectRefund", tag: "refunds", summary: "Support: reject a refund request", secured: true, requestSchema: "RejectRefundBody", responses: [(200, "Refund"), (404, "Error"), (409, "Error")]),
        .init(method: "get", url: .order(.key, .status), id: "getOrderStatus", tag: "orders", summary: "Live status: state, headshots done of total, queue position and an ETA band from measured throughput", secured: true, requestSchema: nil, responses: [(200, "OrderStatus"), (404, "Error")]),
        .init(method: "get", url: .notifications, id: "listNotifications", tag: "notifications", summary: "In-app notifications, newest first, with the unread count", secured: true, requestSchema: nil, responses: [(200, "NotificationList"), (401, "Error")]),
        .init(method: "post", url: .notificationRead(.key), id: "markNotificationRead", tag: "notifications", summary: "Mark a notification as read", secured: true, requestSchema: nil, responses: [(200, "Notification"), (404, "Error")]),
        .init(method: "get", url: .order(.key, .headshots), id: "listHeadshots", tag: "gallery", summary: "A completed order's headshots, each with signed download links (15 minutes, for the caller only)", secured: true, requestSchema: nil, responses: [(200, "HeadshotList"), (404, "Error"), (409, "Error"), (410, "Error")]),
        .init(method: "put", url: .order(.key, .favourite(.key)), id: "setFavourite", tag: "gallery", summary: "Mark or unmark a headshot as a favourite", secured: true, requestSchema: "FavouriteBody", responses: [(200, "Headshot"), (404, "Error"), (409, "Error"), (410, "Error")]),
        .init(method: "post", url: .order(.key, .bundles), id: "createBundleLink", tag: "gallery", summary: "A signed link to a ZIP of all headshots or of the favourites, streamed as it is built", secured: true, requestSchema: "BundleRequest", responses: [(201, "BundleLink"), (404, "Error"), (409, "Error"), (410, "Error"), (422, "Error")]),
        .init(method: "post", url: .order(.key, .shares(.key)), id: "createShareLink", tag: "gallery", summary: "A share link to one headshot that works without signing in, for 1 or 7 days or until revoked", secured: true, requestSchema: "ShareRequest", responses: [(201, "ShareLink"), (404, "Error"), (409, "Error"), (410, "Error"), (422, "Error")]),
        .init(method: "delete", url: .order(.key, .share(.key)), id: "revokeShareLink", tag: "gallery", summary: "Revoke a share link at once", secured: true, requestSchema: nil, responses: [(204, nil), (404, "Error")]),
        .init(method: "get", url: .presets, id: "listPresets", tag: "catalog", summary: "The five style presets", secured: false, requestSchema: nil, responses: [(200, "PresetList")]),
        .init(method: "get", url: .consentPolicy, id: "getConsentPolicy", tag: "catalog", summary: "What we process and keep, shown before payment; its version is stored with each consent", secured: false, requestSchema: nil, responses: [(200, "ConsentPolicy")]),
        .init(method: "post", url: .deletionRequests, id: "requestDeletion", tag: "privacy", summary: "Delete an order's selfies, a whole order, or the whole account (password needed; for the account over the API also a login token from the last 15 minutes). Done in the background, usually within a minute; the answer holds the receipt code, shown once", secured: true, requestSchema: "CreateDeletionRequest", responses: [(202, "DeletionRequest"), (401, "Error"), (403, "Error"), (404, "Error"), (409, "Error"), (422, "Error"), (429, "Error")]),
        .init(method: "get", url: .deletionRequest(.key), id: "getDeletionRequest", tag: "privacy", summary: "A deletion request's status, to its owner, or signed out with the receipt code in X-Receipt-Secret", secured: true, requestSchema: nil, responses: [(200, "DeletionRequest"), (401, "Error"), (404, "Error")],
              secretHeader: (DeletionsAPIController.secretHeader, false, "The receipt code returned when the request was made (instead of a login)")),
        .init(method: "get", url: .deletionReceipt(.key), id: "getDeletionReceipt", tag: "privacy", summary: "The proof of a completed deletion: counts and bytes by kind, timestamps, key destruction time, digest of the deleted file list; no personal content", secured: false, requestSchema: nil, responses: [(200, "DeletionReceipt"), (404, "Error"), (409, "Error")],
              secretHeader: (DeletionsAPIController.secretHeader, true, "The receipt code returned when the request was made")),
        .init(method: "post", url: .dataExports, id: "requestDataExport", tag: "privacy", summary: "Ask for a copy of all your data (selfies, headshots, and account, orders, payments, consents, notifications and activity as JSON) as a ZIP, prepared in the background; a link valid 24 hours is emailed, the copy is deleted after 7 days. Asking again while one is prepared answers that one", secured: true, requestSchema: nil, responses: [(202, "DataExport"), (401, "Error"), (429, "Error")]),
        .init(method: "get", url: .dataExport(.key), id: "getDataExport", tag: "privacy", summary: "A data export's status, with its download link (for the owner's login) while it is ready and the link lasts", secured: true, requestSchema: nil, responses: [(200, "DataExport"), (401, "Error"), (404, "Error")]),
        .init(method: "get", url: .order(.key, .thumbnail(.key)), id: "getThumbnail", tag: "photos", summary: "A thumbnail (size=256 or 1024), metadata-free JPEG", secured: true, requestSchema: nil, responses: [(200, "JPEG"), (404, "Error")]),
    ]
}
