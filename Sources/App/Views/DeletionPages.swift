import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// The deletion pages: confirm with the password, watch the request finish, read the receipt.
enum DeletionPages {
    struct Target {
        let scope: DeletionRequest.Scope
        let order: Order?
    }

    /// What the live status stream sends.
    struct Live: Encodable, Equatable, Sendable {
        let status: String
        let label: String
        let onHold: Bool

        init(_ request: DeletionRequest, held: Bool) {
            status = request.status.rawValue
            label = DeletionPages.label(request.status, held: held)
            onHold = held
        }
    }

    static func label(_ status: DeletionStatus, held: Bool) -> String {
        if held { return "On hold" }
        return switch status {
        case .requested: "Waiting to start"
        case .processing: "Deleting"
        case .completed: "Deleted"
        case .failed: "Retrying (a step failed; we try again automatically)"
        }
    }

    static func describe(_ scope: DeletionRequest.Scope) -> String {
        switch scope {
        case .selfies: "this order's selfies: the photos you uploaded, their thumbnails and the face data made from them. Your headshots stay."
        case .order: "this whole order: your selfies, every headshot, share links, favourites and download records. Payment records stay for accounting (amounts only)."
        case .account: "your whole account: every order with its selfies and headshots, share links, sign-ins, API tokens and notifications. You will be signed out everywhere and cannot undo this."
        }
    }

    static func title(_ scope: DeletionRequest.Scope) -> String {
        switch scope {
        case .selfies: "Delete this order's selfies"
        case .order: "Delete this order"
        case .account: "Delete your account"
        }
    }

    static func confirm(_ viewer: Viewer, _ target: Target, error: String? = nil, status: HTTPResponseStatus = .ok) -> Response {
        let context = PageContext(viewer, title: title(target.scope))
        return Layout.page(context, status: status,
            .section(.class("panel"),
                .h1(.text(title(target.scope))),
                FormComponents.alert(error),
                .p("This deletes ", .text(describe(target.scope))),
                .p("It is done in the background, ", .text(Deletions.promise), ". You'll see it finish, get a receipt that proves what was deleted, and an email when it is done."),
                .form(.method(.post), .action(SiteURL.deletions.path), .id("deletion-form"),
                    Layout.csrfField(context.csrf),
                    .input(.type(.hidden), .name("scope"), .value(target.scope.rawValue)),
                    .unwrap(target.order?.id) { .input(.type(.hidden), .name("order_id"), .value($0.uuidString.lowercased())) },
                    FormComponents.field(FormComponents.Field(name: "password", label: "Your password", type: .password, autocomplete: "current-password",
                                                              hint: "To make sure it is you.")),
                    .button(.type(.submit), .class("button danger"), .id("confirm-deletion"), .text(title(target.scope)))
                )
            )
        )
    }

    static func status(_ viewer: Viewer, _ request: DeletionRequest, held: Bool, secret: String?, receipt: DeletionReceipt?) -> Response {
        let context = PageContext(viewer, title: "Deletion")
        let id = request.id ?? UUID()
        return Layout.page(context,
            .section(.class("panel"), .id("deletion-live"),
                .data(named: "events", value: SiteURL.deletion(.value(id), .events).path),
                .h1(.text(title(request.scope))),
                .p("Status: ", .strong(.id("deletion-state"), .class("status status-\(request.status.rawValue)"),
                                       .text(label(request.status, held: held)))),
                .p("Requested ", .text(request.createdAt.map(DateText.short) ?? "")),
                .if(held, .p(.class("notice"), .id("deletion-hold"),
                    "A legal hold currently keeps this data. The deletion finishes as soon as the hold is released; you'll get an email then.")),
                .if(receipt == nil && !held, .p(.id("deletion-promise"), "This usually takes under a minute, at most 15 minutes. You can leave this page; we'll email you when it is done.")),
                .unwrap(receipt) { receiptSection($0, secret: secret, json: SiteURL.deletion(.value(id), .receipt).path) },
                .if(receipt == nil && secret != nil, .p("Your receipt code (keep it to open the receipt later, even after your account is gone): ",
                                                       .code(.id("receipt-code"), .text(secret ?? ""))))
            ),
            .script(.src(SiteURL.asset(.script("deletion-status.js")).path), .attribute(named: "defer", value: "defer"))
        )
    }

    static func receiptSection(_ receipt: DeletionReceipt, secret: String?, json: String?) -> Node<HTML.BodyContext> {
        .div(.class("receipt"), .id("deletion-receipt"),
            .h2("Receipt"),
            .p("Completed ", .strong(.id("deletion-completed-at"), .text(DateText.short(receipt.completedAt)))),
            .dl(
                .dt("Receipt"), .dd(.code(.id("receipt-id"), .text(receipt.receiptID.uuidString.lowercased()))),
                .unwrap(secret) { .group(.dt("Receipt code"), .dd(.code(.id("receipt-code"), .text($0)))) },
                .dt("Requested"), .dd(.text(DateText.short(receipt.requestedAt))),
                .dt("Encryption keys destroyed"),
                .dd(.text(receipt.keyDestroyedAt.map(DateText.short) ?? "Not needed: only the selfies went, file by file; the order's key still protects its headshots")),
                .dt("Storage"), .dd(.text(receipt.storage == "s3" ? "Object storage (S3)" : "Encrypted local disk")),
                .dt("SHA-256 of the deleted file list"), .dd(.code(.text(receipt.blobKeysSHA256)))
            ),
            .table(
                .thead(.tr(.th("What"), .th("Items"), .th("Bytes"))),
                .tbody(
                    .forEach(receipt.blobs.sorted { $0.key < $1.key }) { entry in
                        .tr(.td(.text(entry.key.capitalized)), .td(.text("\(entry.value.count)")), .td(.text("\(entry.value.bytes)")))
                    },
                    .forEach(receipt.records.sorted { $0.key < $1.key }) { entry in
                        .tr(.td(.text(entry.key.replacingOccurrences(of: "_", with: " ").capitalized)), .td(.text("\(entry.value)")), .td("—"))
                    }
                )
            ),
            .unwrap(json) { .p(.a(.id("receipt-json"), .href($0), "Download the receipt (JSON)")) }
        )
    }

    static func lookup(_ viewer: Viewer, receipt: DeletionReceipt? = nil, error: String? = nil, status: HTTPResponseStatus = .ok) -> Response {
        let context = PageContext(viewer, title: "Deletion receipt")
        return Layout.page(context, status: status,
            .section(.class("panel"),
                .h1("Open a deletion receipt"),
                FormComponents.alert(error),
                .unwrap(receipt) { receiptSection($0, secret: nil, json: nil) },
                .if(receipt == nil, .form(.method(.post), .action(SiteURL.receipts.path),
                    Layout.csrfField(context.csrf),
                    FormComponents.field(FormComponents.Field(name: "receipt_id", label: "Receipt", autocomplete: "off")),
                    FormComponents.field(FormComponents.Field(name: "code", label: "Receipt code", autocomplete: "off",
                                                              hint: "Shown when you asked for the deletion. We keep only a hash of it.")),
                    .button(.type(.submit), .class("button"), "Open the receipt")
                ))
            )
        )
    }
}
