import Foundation
import HeadshotCore
import Imaging
import SiteRoutes

/// Builds the OpenAPI 3.1 document from `OpenAPIOperations` and the schemas below.
enum OpenAPIDocument {
    static func json(serverURL: String) -> String {
        var paths: [String: [String: Any]] = [:]
        for operation in OpenAPIOperations.all {
            var entry: [String: Any] = [
                "operationId": operation.id,
                "tags": [operation.tag],
                "summary": operation.summary,
                "responses": Dictionary(uniqueKeysWithValues: answers(of: operation).map { status, schema in
                    var response: [String: Any] = ["description": description(of: status)]
                    if schema == "JPEG" {
                    response["content"] = ["image/jpeg": ["schema": ["type": "string", "format": "binary"]]]
                } else if schema == "ZIP" {
                    response["content"] = ["application/zip": ["schema": ["type": "string", "format": "binary"]]]
                } else if schema == "CSV" {
                    response["content"] = ["text/csv": ["schema": ["type": "string"]]]
                } else if let schema {
                    response["content"] = ["application/json": ["schema": ref(schema)]]
                }
                    return (String(status), response as Any)
                }),
            ]
            if operation.secured {
                // An operation that also opens with a secret header needs no login: `{}` says so.
                entry["security"] = [["bearer": [String]()], ["session": [String]()]] + (operation.secretHeader == nil ? [] : [[String: [String]]()])
            }
            if operation.requestSchema == "PhotoUpload" {
                // Photos are sent as they are, never base64 in JSON: raw bytes, or a multipart form.
                entry["requestBody"] = ["required": true, "description": "One photo as the raw body (name in X-Filename), or one or more in a multipart form field `photos`. JPEG, PNG, HEIC or WebP, ≤ 25 MB each.", "content": [
                    "image/jpeg": ["schema": ["type": "string", "format": "binary"]],
                    "image/png": ["schema": ["type": "string", "format": "binary"]],
                    "image/heic": ["schema": ["type": "string", "format": "binary"]],
                    "image/webp": ["schema": ["type": "string", "format": "binary"]],
                    "multipart/form-data": ["schema": object(["photos": ["type": "array", "items": ["type": "string", "format": "binary"],
                                                                               "minItems": 1, "maxItems": IncomingFile.maxPerRequest]], required: ["photos"])],
                ]]
            } else if let schema = operation.requestSchema {
                entry["requestBody"] = ["required": true, "content": ["application/json": ["schema": ref(schema)]]]
            }
            let parameters = operation.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { part -> [String: Any] in
                ["name": String(part.dropFirst().dropLast()), "in": "path", "required": true, "schema": uuid]
            } + operation.query.map { parameter -> [String: Any] in
                ["name": parameter.name, "in": "query", "required": parameter.required, "description": parameter.description, "schema": schema(of: parameter.kind)]
            } + (operation.secretHeader.map { header -> [[String: Any]] in
                [["name": header.name, "in": "header", "required": header.required, "description": header.description,
                  "schema": ["type": "string", "maxLength": 128]]]
            } ?? [])
            if !parameters.isEmpty { entry["parameters"] = parameters }
            paths[operation.path, default: [:]][operation.method] = entry
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "Headshot Studio API",
                "version": "1.0.0",
                "description": "Every action of the web pages, as JSON. Authenticate with `Authorization: Bearer hs_…` (a personal access token from the account page, or one from POST /auth/token). Cookie-authenticated calls that change state must send the page's CSRF token in X-CSRF-Token. Errors are `{\"error\": {\"code\", \"message\"}}`.",
            ],
            "servers": [["url": serverURL.trimmingSuffix("/") + APIURL.root]],
            "paths": paths,
            "components": [
                "securitySchemes": [
                    "bearer": ["type": "http", "scheme": "bearer"],
                    "session": ["type": "apiKey", "in": "cookie", "name": SessionManager.cookieName],
                ],
                "schemas": schemas,
            ],
        ]
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    private static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }

    /// The operation's own responses and those every operation of its kind can give: 401 to an invalid
    /// bearer token (on any operation, public ones too); 403 `token_scope` to a team token outside its
    /// team's manager actions (signed-in operations); 400, 413 and 415 to a body that is malformed, too
    /// large or of another media type (operations that take one).
    static func answers(of operation: OpenAPIOperations.Operation) -> [(Int, String?)] {
        var list = operation.responses
        func add(_ status: Int) { if !list.contains(where: { $0.0 == status }) { list.append((status, "Error")) } }
        add(401)
        if operation.secured { add(403) }
        if operation.requestSchema != nil { add(400); add(413); add(415) }
        return list
    }

    private static func description(of status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "Done, no content"
        case 401: "Not signed in, or wrong credentials"
        case 403: "Not allowed"
        case 404: "Not found (also for objects of other users)"
        case 410: "Link expired or already used"
        case 422: "Invalid input; `fields` says which"
        case 409: "Conflicts with the object's state (e.g. the set is full or the order is paid)"
        case 400: "Malformed request (unreadable body or parameter)"
        case 413: "Request body too large (a photo over 25 MB, or a JSON body over the limit)"
        case 415: "Unsupported media type for the body"
        case 502: "The payment provider failed; nothing changed, retry later"
        case 507: "Our storage is full; nothing was kept, retry later (code `storage_full`)"
        case 429: "Too many attempts; see Retry-After"
        default: "See the error body"
        }
    }

    private static func object(_ properties: [String: Any], required: [String]) -> [String: Any] {
        ["type": "object", "properties": properties, "required": required]
    }

    private static var string: [String: Any] { ["type": "string"] }
    private static var integer: [String: Any] { ["type": "integer"] }
    private static var number: [String: Any] { ["type": "number"] }
    private static var boolean: [String: Any] { ["type": "boolean"] }
    /// A UUID as `UUID(uuidString:)` reads it: the format alone lets generators draw any string.
    static let uuidPattern = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    private static var uuid: [String: Any] { ["type": "string", "format": "uuid", "pattern": uuidPattern] }
    private static var nullableUUID: [String: Any] { ["type": ["string", "null"], "format": "uuid", "pattern": uuidPattern] }
    private static var dateTime: [String: Any] { ["type": "string", "format": "date-time"] }
    private static var nullableDateTime: [String: Any] { ["type": ["string", "null"], "format": "date-time"] }
    private static func list(_ name: String) -> [String: Any] { ["type": "array", "items": ref(name)] }
    private static func schema(of kind: OpenAPIOperations.QueryParameter.Kind) -> [String: Any] {
        switch kind {
        case .integer(let bounds): range(bounds)
        case .choice(let codes): ["type": "string", "enum": codes]
        case .integerChoice(let values): ["type": "integer", "enum": values]
        case .text(let length): InputRules.textSchema(length)
        case .dateOrEmpty: ["type": "string", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", "description": "YYYY-MM-DD, or empty for the default"]
        }
    }
    /// `schema` or null (its `type` widened).
    private static func nullable(_ schema: [String: Any]) -> [String: Any] {
        var schema = schema
        if let type = schema["type"] as? String { schema["type"] = [type, "null"] }
        return schema
    }
    private static func range(_ range: ClosedRange<Int>) -> [String: Any] { ["type": "integer", "minimum": range.lowerBound, "maximum": range.upperBound] }

    private static var schemas: [String: Any] {
        [
            "Error": object(["error": object([
                "code": string, "message": string, "request_id": string,
                "fields": ["type": "object", "additionalProperties": string],
            ], required: ["code", "message"])], required: ["error"]),
            "Message": object(["message": string], required: ["message"]),
            "SupportTicketRequest": object(["headshot_ids": ["type": ["array", "null"], "items": uuid, "maxItems": SupportRequests.maxAttachments,
                                                             "description": "Headshots of order_id to show support"],
                                            "category": ["type": "string", "enum": SupportRequests.Category.allCases.map(\.rawValue)],
                                            "message": InputRules.textSchema(SupportRequests.messageLength),
                                            "order_id": nullableUUID], required: ["category", "message"]),
            "ContactMessageRequest": object(["email": InputRules.emailSchema, "message": InputRules.textSchema(SupportRequests.messageLength)],
                                            required: ["email", "message"]),
            "SupportTicket": object(["updated_at": nullableDateTime, "id": uuid, "reference": string, "category": string, "status": ["type": "string", "enum": TicketStatus.allCases.map(\.rawValue)],
                                     "order_id": nullableUUID, "message": string, "created_at": nullableDateTime],
                                    required: ["id", "reference", "category", "status", "message"]),
            "SupportTicketList": list("SupportTicket"),
            "SupportMessage": object(["id": uuid, "from": ["type": "string", "enum": ["support", "customer"]], "message": string, "created_at": nullableDateTime],
                                     required: ["id", "from", "message"]),
            "SupportThread": object(["ticket": ref("SupportTicket"), "customer_email": ["type": ["string", "null"]], "messages": list("SupportMessage"),
                                     "attachments": ["type": "array", "items": object(["id": uuid, "preset": string, "image_url": string], required: ["id", "preset", "image_url"])]],
                                    required: ["ticket", "messages", "attachments"]),
            "SupportReply": object(["message": InputRules.textSchema(SupportRequests.staffReplyLength), "resolve": ["type": ["boolean", "null"]]], required: ["message"]),
            "CustomerReply": object(["message": InputRules.textSchema(SupportRequests.messageLength)], required: ["message"]),
            "TicketStatusBody": object(["status": ["type": "string", "enum": TicketStatus.allCases.map(\.rawValue)]], required: ["status"]),
            "ConsoleJob": object(["id": uuid, "order_id": uuid, "kind": string, "status": ["type": "string", "enum": JobStatus.allCases.map(\.rawValue)],
                                  "done": integer, "total": integer, "attempts": integer, "max_attempts": integer,
                                  "last_error": ["type": ["string", "null"]], "created_at": nullableDateTime],
                                 required: ["id", "order_id", "kind", "status", "done", "total", "attempts", "max_attempts"]),
            "ConsoleOverview": object(["stuck_after_seconds": number,
                                       "alerts": ["type": "array", "items": object(["job": ref("ConsoleJob"), "customer_email": string, "stuck": boolean, "age_seconds": number],
                                                                                   required: ["job", "customer_email", "stuck", "age_seconds"])],
                                       "open_tickets": list("SupportTicket"), "refunds": list("Refund")],
                                      required: ["stuck_after_seconds", "alerts", "open_tickets", "refunds"]),
            "ConsoleOrder": object(["id": uuid, "status": ["type": "string", "enum": OrderStatus.allCases.map(\.rawValue)], "customer_email": ["type": ["string", "null"]],
                                    "headshot_count": ["type": ["integer", "null"]], "presets": ["type": "array", "items": string],
                                    "amount_minor": ["type": ["integer", "null"]], "currency": ["type": ["string", "null"]], "rerun_credits": ["type": ["integer", "null"]],
                                    "headshots_delivered": integer, "legal_hold": boolean, "jobs": list("ConsoleJob"), "refunds": list("Refund"),
                                    "tickets": list("SupportTicket"),
                                    "states": ["type": "array", "items": object(["state": string, "from": dateTime, "until": nullableDateTime, "seconds": number],
                                                                                required: ["state", "from", "seconds"])],
                                    "audit": ["type": "array", "items": object(["at": dateTime, "actor_type": string, "actor_id": nullableUUID,
                                                                                "action": string, "subject_type": string, "from": ["type": ["string", "null"]],
                                                                                "to": ["type": ["string", "null"]], "detail": ["type": ["string", "null"]]],
                                                                               required: ["at", "actor_type", "action", "subject_type"])],
                                    "photos": ["type": ["array", "null"], "items": object(["id": uuid, "status": string, "filename": string], required: ["id", "status", "filename"])],
                                    "gpu": ["oneOf": [["type": "null"], object(["predictions": integer, "predict_seconds": number, "cost": number, "currency": string],
                                                                              required: ["predictions", "predict_seconds", "cost", "currency"])]]],
                                   required: ["id", "status", "presets", "headshots_delivered", "legal_hold", "jobs", "refunds", "tickets", "states", "audit"]),
            "ConsoleUser": object(["id": uuid, "email": string, "role": ["type": "string", "enum": User.Role.allCases.map(\.rawValue)], "created_at": nullableDateTime,
                                   "orders": ["type": "array", "items": object(["id": uuid, "status": string, "created_at": nullableDateTime], required: ["id", "status"])],
                                   "tickets": integer], required: ["id", "email", "role", "orders", "tickets"]),
            "ConsoleUserList": list("ConsoleUser"),
            "KPIRow": object(["week_start": ["type": "string", "format": "date"], "package": string,
                              "figures": object(Dictionary(uniqueKeysWithValues: KPIs.Figure.allCases.map { ($0.rawValue, ["type": ["number", "null"]] as [String: Any]) }),
                                                required: KPIs.Figure.allCases.map(\.rawValue))],
                             required: ["week_start", "package", "figures"]),
            "KPIRowList": list("KPIRow"),
            // A field left out or null is unchanged.
            "PackageChange": object(["name": nullable(InputRules.textSchema(StaffConsole.PackageChange.nameLength)),
                                     "price_minor": nullable(range(StaffConsole.PackageChange.prices)),
                                     "headshot_count": nullable(range(StaffConsole.PackageChange.headshotCounts)),
                                     "max_presets": nullable(range(StaffConsole.PackageChange.presetCounts)),
                                     "rerun_credits": nullable(range(StaffConsole.PackageChange.rerunCreditCounts))],
                                    required: []),
            "RoleBody": object(["role": ["type": "string", "enum": User.Role.allCases.map(\.rawValue)]], required: ["role"]),
            "HoldBody": object(["reason": InputRules.textSchema(LegalHolds.reasonLength), "release": ["type": ["boolean", "null"]]], required: [])
                .merging(["description": "A reason places the hold; release=true lifts it (without either: 422)"]) { $1 },
            "ConsoleHold": object(["order_id": uuid, "held": boolean], required: ["order_id", "held"]),
            "SignUpRequest": object(["email": InputRules.emailSchema, "password": ["type": "string", "minLength": 12, "maxLength": 128],
                                     "name": InputRules.lineSchema(maxLength: Profile.maxLength)], required: ["email", "password"]),
            "ProfileRequest": object(["name": InputRules.lineSchema(maxLength: Profile.maxLength, nullable: true),
                                      "job_title": InputRules.lineSchema(maxLength: Profile.maxLength, nullable: true)], required: []),
            "LogInRequest": object(["email": string, "password": string], required: ["email", "password"]),
            "LoginToken": object(["token": string, "expires_at": nullableDateTime, "user": ref("User")], required: ["token", "user"]),
            "EmailRequest": object(["email": InputRules.emailSchema], required: ["email"]),
            "TokenRequest": object(["token": string], required: ["token"]),
            "ResetPasswordRequest": object(["token": string, "password": string], required: ["token", "password"]),
            "ChangePasswordRequest": object(["current_password": string, "new_password": string, "keep_tokens": boolean], required: ["current_password", "new_password"]),
            "User": object(["id": uuid, "email": string, "role": ["type": "string", "enum": User.Role.allCases.map(\.rawValue)],
                            "email_verified": boolean, "created_at": nullableDateTime, "name": ["type": ["string", "null"]],
                            "job_title": ["type": ["string", "null"]]], required: ["id", "email", "role", "email_verified"]),
            "APIToken": object(["id": uuid, "kind": ["type": "string", "enum": ["personal", "login", "team"]], "team_id": nullableUUID,
                                "name": string, "prefix": string, "created_at": dateTime,
                                "last_used_at": nullableDateTime, "expires_at": nullableDateTime], required: ["id", "kind", "name", "prefix", "created_at"]),
            "APITokenList": list("APIToken"),
            "CreateTokenRequest": object(["name": string, "expires_in_days": ["type": "integer", "minimum": 1, "maximum": 365]], required: ["name"]),
            "CreatedToken": object(["token": string, "details": ref("APIToken")], required: ["token", "details"]),
            "Session": object(["id": uuid, "created_at": dateTime, "last_seen_at": dateTime, "ip": ["type": ["string", "null"]],
                               "user_agent": ["type": ["string", "null"]], "device": string, "current": boolean],
                              required: ["id", "created_at", "last_seen_at", "device", "current"]),
            "SessionList": list("Session"),
            "ActivityEntry": object(["at": dateTime, "action": string, "description": string, "actor": string],
                                    required: ["at", "action", "description", "actor"]),
            "ActivityPage": object(["entries": ["type": "array", "items": ref("ActivityEntry")], "page": integer,
                                    "next_page": ["type": ["integer", "null"]]], required: ["entries", "page"]),
            "Package": object(["id": uuid, "code": string, "name": string, "headshot_count": integer, "max_presets": integer,
                               "priority_queue": boolean, "rerun_credits": integer, "price_minor": integer, "currency": string],
                              required: ["id", "code", "name", "headshot_count", "max_presets", "priority_queue", "rerun_credits", "price_minor", "currency"]),
            "PackageList": list("Package"),
            "Turnaround": object(["median_minutes": ["type": ["integer", "null"]], "sample_size": integer], required: ["sample_size"]),
            "Order": object(["id": uuid, "status": ["type": "string", "enum": OrderStatus.allCases.map(\.rawValue)],
                             "package_name": ["type": ["string", "null"]], "headshot_count": ["type": ["integer", "null"]],
                             "created_at": nullableDateTime, "status_changed_at": nullableDateTime, "label": string,
                             "thumbnail_url": ["type": ["string", "null"]], "studio_fallback": ["type": ["string", "null"]],
                             "team_id": nullableUUID,
                             "backdrop_colour": ["type": ["string", "null"], "pattern": "^#[0-9a-f]{6}$"]],
                            required: ["id", "status", "label"]),
            "OrderList": list("Order"),
            "CreateTeamRequest": object(["name": InputRules.textSchema(Teams.nameLength)], required: ["name"]),
            "Team": object(["id": uuid, "name": string, "role": ["type": "string", "enum": TeamRole.allCases.map(\.rawValue)],
                            "allowed_presets": ["type": "array", "items": ["type": "string", "enum": StylePreset.allCases.map(\.rawValue)]],
                            "backdrop_colour": ["type": ["string", "null"], "pattern": "^#[0-9a-f]{6}$"],
                            "seats": object(["purchased": integer, "reserved": integer, "used": integer, "free": integer], required: ["purchased", "reserved", "used", "free"]),
                            "created_at": nullableDateTime],
                           required: ["id", "name", "role", "allowed_presets", "seats"]),
            "TeamList": list("Team"),
            "SeatPurchaseRequest": object(["seats": ["type": "integer", "minimum": 1, "maximum": SeatPricing.maximumSeats], "package": ["type": "string", "enum": ["basic", "professional"]]], required: ["seats", "package"]),
            "SeatPurchase": object(["order_id": uuid, "checkout_id": string, "checkout_url": string, "seats": integer, "package": string,
                                    "seat_price_minor": integer, "discount_percent": integer, "amount_minor": integer, "currency": string],
                                   required: ["order_id", "checkout_id", "checkout_url", "seats", "package", "seat_price_minor", "discount_percent", "amount_minor", "currency"]),
            "InviteRequest": object(["emails": ["type": "array", "items": InputRules.emailSchema, "minItems": 1, "maxItems": TeamInvitations.maximumPerRequest]], required: ["emails"]),
            "Invitation": object(["id": uuid, "kind": ["type": "string", "enum": ["email", "link"]], "email": ["type": ["string", "null"]],
                                  "status": ["type": "string", "enum": InvitationDTO.Status.allCases.map(\.rawValue)], "expires_at": dateTime,
                                  "uses": integer, "max_uses": ["type": ["integer", "null"]], "allowed_domain": ["type": ["string", "null"]], "created_at": dateTime],
                                 required: ["id", "kind", "status", "expires_at", "uses", "created_at"]),
            "InvitationList": list("Invitation"),
            "InvitationLinkRequest": object(["allowed_domain": ["type": ["string", "null"], "pattern": InputRules.domainPattern, "maxLength": InputRules.emailMaxLength - 2,
                                                               "description": "Only addresses at this domain may join (example.com; a leading @ is ignored)"], "max_uses": ["type": ["integer", "null"], "minimum": 1, "maximum": SeatPricing.maximumSeats],
                                             "expires_in_days": ["type": ["integer", "null"], "minimum": TeamInvitations.linkLifetimeDays.lowerBound, "maximum": TeamInvitations.linkLifetimeDays.upperBound]],
                                            required: []),
            "CreatedInvitationLink": object(["invitation": ref("Invitation"), "url": string], required: ["invitation", "url"]),
            "AcceptInvitationRequest": object(["token": string], required: ["token"]),
            "TeamStylesRequest": object(["presets": ["type": "array", "items": ["type": "string", "enum": StylePreset.allCases.map(\.rawValue)], "minItems": 1],
                                          "backdrop_colour": ["type": ["string", "null"], "pattern": "^#[0-9A-Fa-f]{6}$",
                                                              "description": "Every drawn backdrop of members' headshots in this colour; absent or null for each style's own"]],
                                         required: ["presets"]),
            "SeatQuotaRequest": object(["seats": ["type": "integer", "minimum": Teams.seatQuotaRange.lowerBound, "maximum": Teams.seatQuotaRange.upperBound]], required: ["seats"]),
            "TeamRoleRequest": object(["role": ["type": "string", "enum": [TeamRole.manager.rawValue, TeamRole.member.rawValue]]], required: ["role"]),
            "TeamHeadshotRequest": object(["headshot_id": nullableUUID], required: ["headshot_id"]),
            "TeamMember": object(["user_id": nullableUUID, "email": string, "name": ["type": ["string", "null"]],
                                  "role": ["type": ["string", "null"], "description": "owner, manager or member; null for someone invited who has not joined"],
                                  "state": ["type": "string", "enum": TeamDashboard.State.allCases.map(\.rawValue)], "state_label": string, "note": ["type": ["string", "null"]],
                                  "invitation_id": nullableUUID, "team_headshot_id": nullableUUID,
                                  "joined_at": nullableDateTime,
                                  "seat_quota": ["type": ["integer", "null"], "description": "seats the member may spend on their own orders (1 unless a manager grants more); null for someone invited"],
                                  "seats_used": ["type": ["integer", "null"]]],
                                 required: ["email", "state", "state_label"]),
            "TeamHeadshot": object(["user_id": uuid, "name": ["type": ["string", "null"]], "email": string, "headshot_id": uuid, "filename": string, "thumbnail_url": string],
                                   required: ["user_id", "email", "headshot_id", "filename", "thumbnail_url"]),
            "TeamHeadshotList": list("TeamHeadshot"),
            "TeamDashboard": object(["team": ref("Team"), "members": list("TeamMember")], required: ["team", "members"]),
            "TeamSubmission": object(["presets": ["type": "array", "items": ["type": "string", "enum": StylePreset.allCases.map(\.rawValue)], "minItems": 1],
                                      "consent": boolean, "accept_fewer": ["type": ["boolean", "null"]]], required: ["presets", "consent"]),
            "Finding": object(["code": string, "verdict": ["type": "string", "enum": ["pass", "warn", "fail"]], "score": integer,
                               "message": string, "tip": string], required: ["code", "verdict", "score", "message", "tip"]),
            "FaceBox": object(["x": number, "y": number, "width": number, "height": number], required: ["x", "y", "width", "height"]),
            "Photo": object(["id": uuid, "filename": string, "verdict": ["type": "string", "enum": ["pass", "warn", "fail"]],
                             "score": integer, "width": ["type": ["integer", "null"]], "height": ["type": ["integer", "null"]],
                             "face_box": ["oneOf": [ref("FaceBox"), ["type": "null"]]],
                             "problems": list("Finding"), "findings": list("Finding"), "thumbnail_url": string,
                             "uploaded_at": nullableDateTime, "deleted_after": nullableDateTime],
                            required: ["id", "filename", "verdict", "score", "problems", "findings", "thumbnail_url"]),
            "Readiness": object(["accepted": integer, "rejected": integer, "minimum": integer, "maximum": integer, "ready": boolean,
                                 "summary": string, "hints": list("Finding")],
                                required: ["accepted", "rejected", "minimum", "maximum", "ready", "summary", "hints"]),
            "PackageCapacity": object(["package": string, "headshot_count": integer, "max_presets": integer,
                                       "styles_for_all": ["type": ["integer", "null"]], "most_headshots": integer, "photos_to_add": integer,
                                       "summary": string],
                                      required: ["package", "headshot_count", "max_presets", "styles_for_all", "most_headshots", "photos_to_add", "summary"]),
            "PlanCapacity": object(["photos": integer, "distinct_per_style": integer, "packages": list("PackageCapacity")],
                                   required: ["photos", "distinct_per_style", "packages"]),
            "PhotoSet": object(["photos": list("Photo"), "readiness": ref("Readiness")], required: ["photos", "readiness"]),
            "CheckoutRequest": object(["package": ["type": "string", "enum": ["basic", "professional"]],
                                       "presets": ["type": "array", "items": ["type": "string", "enum": StylePreset.allCases.map(\.rawValue)]],
                                       "consent": boolean, "accept_fewer": boolean], required: ["package", "presets", "consent"]),
            "CheckoutSession": object(["checkout_id": string, "checkout_url": string, "amount_minor": integer, "currency": string,
                                       "headshot_count": integer], required: ["checkout_id", "checkout_url", "amount_minor", "currency", "headshot_count"]),
            "Preset": object(["code": string, "name": string, "description": string, "example_image": string],
                             required: ["code", "name", "description", "example_image"]),
            "PresetList": list("Preset"),
            "ConsentPolicy": object(["version": string, "points": ["type": "array", "items": string], "selfie_retention_days": integer,
                                     "headshot_retention_days": integer], required: ["version", "points", "selfie_retention_days", "headshot_retention_days"]),
            "CreateDeletionRequest": object(["scope": ["type": "string", "enum": DeletionRequest.Scope.allCases.map(\.rawValue)],
                                             "order_id": nullableUUID, "password": ["type": "string", "maxLength": 128]],
                                            required: ["scope", "password"]),
            "DeletionRequest": object(["id": uuid, "scope": ["type": "string", "enum": DeletionRequest.Scope.allCases.map(\.rawValue)],
                                       "order_id": nullableUUID,
                                       "status": ["type": "string", "enum": DeletionStatus.allCases.map(\.rawValue)], "on_hold": boolean,
                                       "requested_at": nullableDateTime, "completed_at": nullableDateTime,
                                       "receipt_id": nullableUUID,
                                       "receipt_secret": ["type": ["string", "null"], "description": "Only in the answer that created the request; keep it to open the receipt"]],
                                      required: ["id", "scope", "status", "on_hold"]),
            "DeletionCount": object(["count": integer, "bytes": integer], required: ["count", "bytes"]),
            "DeletionReceipt": object(["receipt_id": uuid, "request_id": uuid, "scope": ["type": "string", "enum": DeletionRequest.Scope.allCases.map(\.rawValue)],
                                       "requested_at": dateTime, "completed_at": dateTime, "key_destroyed_at": nullableDateTime,
                                       "blobs": ["type": "object", "additionalProperties": ref("DeletionCount")],
                                       "records": ["type": "object", "additionalProperties": integer],
                                       "blob_count": integer, "blob_keys_sha256": string, "storage": ["type": "string", "enum": ["local", "s3"]]],
                                      required: ["receipt_id", "request_id", "scope", "requested_at", "completed_at", "blobs", "records", "blob_count",
                                                 "blob_keys_sha256", "storage"]),
            "DataExport": object(["id": uuid, "status": ["type": "string", "enum": DataExportStatus.allCases.map(\.rawValue)],
                                  "requested_at": nullableDateTime, "ready_at": nullableDateTime, "expires_at": nullableDateTime,
                                  "download_url": ["type": ["string", "null"]]], required: ["id", "status"]),
            "RefundRequestBody": object(["reason": string], required: ["reason"]),
            "RejectRefundBody": object(["reason": string], required: []),
            "Refund": object(["id": uuid, "order_id": uuid, "status": ["type": "string", "enum": RefundStatus.allCases.map(\.rawValue)],
                              "amount_minor": integer, "currency": string, "reason": string, "gateway_refund_id": ["type": ["string", "null"]]],
                             required: ["id", "order_id", "status", "amount_minor", "currency", "reason"]),
            "RefundList": list("Refund"),
            // Either a style or the headshots (the other absent or null), else 422; a oneOf saying so makes
            // schemathesis's coverage phase fail on its own, so the description says it.
            "RerunRequest": object(["style": ["type": ["string", "null"], "enum": StylePreset.allCases.map(\.rawValue) as [Any] + [NSNull()]],
                                    "headshot_ids": ["type": ["array", "null"], "items": uuid, "minItems": 1]], required: [])
                .merging(["description": "Either style or headshot_ids, not both (422)"]) { $1 },
            "Rerun": object(["id": uuid, "order_id": uuid, "status": ["type": "string", "enum": JobStatus.allCases.map(\.rawValue)],
                             "presets": ["type": "array", "items": string], "done": integer, "total": integer, "created_at": nullableDateTime],
                            required: ["id", "order_id", "status", "presets", "done", "total"]),
            "RerunStanding": object(["credits_left": integer, "possible": boolean, "selfies_kept": boolean,
                                     "selfies_deleted_at": nullableDateTime, "reruns": list("Rerun")],
                                    required: ["credits_left", "possible", "selfies_kept", "reruns"]),
            "OrderStatus": object(["status": ["type": "string", "enum": OrderStatus.allCases.map(\.rawValue)], "label": string,
                                   "done": integer, "total": integer, "queue_position": ["type": ["integer", "null"]],
                                   "eta_min_minutes": ["type": ["integer", "null"]], "eta_max_minutes": ["type": ["integer", "null"]],
                                   "eta_text": ["type": ["string", "null"]], "latest_headshots": ["type": "array", "items": uuid],
                                   "remaking": boolean],
                                  required: ["status", "label", "done", "total", "remaking"]),
            "Notification": object(["id": uuid, "kind": string, "title": string, "body": string, "link": ["type": ["string", "null"]],
                                     "read": boolean, "created_at": nullableDateTime], required: ["id", "kind", "title", "body", "read"]),
            "FavouriteBody": object(["favourite": boolean], required: ["favourite"]),
            "ShareRequest": object(["days": ["type": "integer", "enum": Sharing.lifetimes]], required: ["days"]),
            "ShareLink": object(["id": string, "url": string, "expires_at": ["type": "string", "format": "date-time"]], required: ["id", "url", "expires_at"]),
            "BundleRequest": object(["selection": ["type": "string", "enum": BundleSelection.allCases.map(\.rawValue)]], required: ["selection"]),
            "BundleLink": object(["url": string, "expires_at": ["type": "string", "format": "date-time"]], required: ["url", "expires_at"]),
            "Headshot": object(["id": string, "number": integer, "preset": string, "width": integer, "height": integer,
                                "identity_distance": ["type": ["number", "null"]], "favourite": boolean,
                                "origin": ["type": "string", "enum": HeadshotOrigin.allCases.map(\.rawValue)],
                                "links": ["type": "object", "properties": ["full": string, "square": string, "portrait": string, "thumbnail": string]]],
                               required: ["id", "number", "preset", "width", "height", "favourite", "origin", "links"]),
            "HeadshotList": object(["headshots": list("Headshot"), "links_expire_at": ["type": "string", "format": "date-time"],
                                    "delete_after": ["type": ["string", "null"], "format": "date-time"]],
                                   required: ["headshots", "links_expire_at"]),
            "NotificationList": object(["unread": integer, "items": list("Notification")], required: ["unread", "items"]),
            "RefusedFile": object(["filename": string, "code": string, "message": string], required: ["filename", "code", "message"]),
            "UploadResult": object(["photos": list("Photo"), "refused": list("RefusedFile"), "readiness": ref("Readiness")],
                                   required: ["photos", "refused", "readiness"]),
        ]
    }
}
