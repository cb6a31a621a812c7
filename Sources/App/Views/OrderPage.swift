import HeadshotCore
import Imaging
import Plot
import SiteRoutes
import Vapor

/// An order's overview: its state, its photos, and what comes next.
enum OrderPage {
    /// Which of the delivered headshots are AI-generated and which are studio renders, when a GPU model made any.
    static func originsSentence(_ origins: [HeadshotOrigin: Int]) -> String? {
        guard let diffusion = origins[.diffusion], diffusion > 0 else { return nil }
        let studio = origins[.studio] ?? 0
        let generated = diffusion == 1 ? "1 of your headshots is AI-generated" : "\(diffusion) of your headshots are AI-generated"
        return "\(generated) by a diffusion model from your photos (marked in the gallery and in each file)"
            + (studio > 0 ? ", and \(studio) \(studio == 1 ? "is a studio render" : "are studio renders") of your own photos." : ".")
    }

    /// `howMade` says which generator makes the headshots (nil when none is configured).
    /// `retention` and `dates` say when the order's selfies and headshots are deleted.
    /// `capacity` is what the order's photos give (the plan's figures, as the checkout stated them).
    static func render(_ viewer: Viewer, order: Order, set: PhotoSet, packages: [PackageDTO], capacity: PlanCapacity, progress: OrderProgress,
                       howMade: String?, origins: [HeadshotOrigin: Int] = [:], retention: RetentionPolicy, dates: (selfies: Date?, headshots: Date?),
                       held: Bool, refund: RefundRequest? = nil, refundDecision: RefundPolicy.Decision? = nil,
                       notice: String? = nil) throws -> Response {
        let orderID = try order.requireID()
        let inFlight = OrderStatus.beingMade.contains(order.status)
        return Layout.page(PageContext(viewer, title: "Your order"),
            .section(.class("panel"), .id("order-live"),
                .attribute(named: "data-events", value: SiteURL.order(.value(orderID), .events).path),
                .attribute(named: "data-status", value: APIURL.order(.value(orderID), .status).sitePath),
                .attribute(named: "data-remaking", value: progress.remaking ? "true" : "false"),
                .h1("Your order"),
                FormComponents.notice(notice),
                .p(.span(.id("order-state"), .class("status status-\(order.status.rawValue)"), .text(progress.label))),
                .if(inFlight || order.status == .completed,
                    .div(.class("progress"),
                        .element(named: "progress", nodes: [.id("order-progress"), .attribute(named: "max", value: String(max(progress.total, 1))),
                                                            .attribute(named: "value", value: String(progress.done))]),
                        .p(.id("order-progress-text"), .text(Self.progressText(progress))),
                        .p(.id("order-eta"), .text(inFlight || progress.remaking ? (progress.etaText ?? "We'll show an estimate once we've measured recent orders.") : "")),
                        .ul(.id("order-latest"), .class("latest-grid"),
                            .attribute(named: "data-thumbnail", value: SiteURL.order(.value(orderID), .headshotThumbnail(.value(Self.idPlaceholder))).path),
                            .forEach(progress.latestHeadshots) { id in
                                .li(.img(.src(SiteURL.order(.value(orderID), .headshotThumbnail(.value(id))).path),
                                         .alt("One of your new headshots"), .attribute(named: "data-id", value: id.uuidString.lowercased())))
                            }),
                        .unwrap(howMade) { how in
                            .p(.class("hint"), .id("how-made"), .text("How they are made: " + how + " "), .a(.href(SiteURL.styles.path + "#how-made"), "More"))
                        },
                        .unwrap(Self.originsSentence(origins)) { .p(.id("made-by"), .text($0)) },
                        .unwrap(OrderFallback.sentence(order.studioFallback)) { .p(.id("studio-fallback"), .class("notice"), .text($0)) }
                    )
                ),
                .unwrap(Self.planSentence(order, capacity: capacity)) { .p(.id("order-plan"), .text($0)) },
                .unwrap(TeamPages.backdropSentence(order.backdropColour, team: "Your team", presets: StylePreset.chosen(order.presets))) { sentence in
                    .p(.id("order-backdrop"), TeamPages.swatch(order.backdropColour), .text(" " + sentence))
                },
                .if(order.status == .awaitingPayment,
                    .p("Your payment has not reached us. ", .a(.id("pay-now"), .class("button"), .href(SiteURL.order(.value(orderID), .checkout).path), "Pay now"))),
                .if(order.paymentReference != nil, .p(.a(.id("receipt-link"), .href(SiteURL.order(.value(orderID), .receipt).path), "Your receipt"))),
                .if(order.status != .draft, .p(
                    .a(.id("report-order"), .href(SiteURL.contact.path(["order_id": orderID.uuidString.lowercased(),
                                                                        "category": order.status == .failed ? SupportRequests.Category.stuckOrder.rawValue : ""])),
                       "Report a problem"))),
                .if(order.status == .completed, .p(.a(.id("open-gallery"), .class("button"), .href(SiteURL.order(.value(orderID), .gallery).path), "See your headshots"))),
                .if(order.status == .draft, .p(.text(set.summary))),
                .if(progress.isRetrying, .p(.id("order-retrying"), .class("hint"),
                    "One part of the work is being done again, as planned when a step does not pass our checks; nothing is lost.")),
                .if(held, .p(.id("legal-hold"), .class("notice"),
                    "A legal hold applies to this order: we must keep its photos and headshots until the hold is released, even past the dates below. We will delete them then.")),
                .unwrap(retention.orderSentence(selfiesDeleted: dates.selfies, headshotsDeleted: dates.headshots)) {
                    .p(.id("retention-dates"), .text($0))
                },
                .if([OrderStatus.completed, .failed].contains(order.status),
                    .p(.id("rerun-until"), .text(dates.selfies.map { "This order's selfies are kept until \(DateText.long($0)), then deleted." }
                                                     ?? "This order's selfies have been deleted."))),
                .p(.a(.href(SiteURL.order(.value(orderID), .photos).path), .text(order.status == .draft ? "Review or change your photos" : "See your photos"))),
                .if(set.ready && order.status == .draft && order.teamID != nil,
                    .group(
                        .h2("Next: your team's styles"),
                        .p(.id("team-pays"), "Your team pays for these headshots with one of its seats: choose among the team's styles and send them. You never pay."),
                        .p(.a(.id("choose-team-styles"), .class("button"), .href(SiteURL.order(.value(orderID), .checkout).path), "Choose styles"))
                    )
                ),
                .if(set.ready && order.status == .draft && order.teamID == nil,
                    .group(
                        .h2("Next: styles and package"),
                        .p("Your photos are ready. Choose your styles and one of these packages."),
                        .div(.class("cards"), .forEach(packages) { package in
                            .a(.class("card"), .id("choose-\(package.code)"), .href(SiteURL.order(.value(orderID), .checkout).path(["package": package.code])),
                               .h3(.text(package.name)),
                               .p(.text("\(Money.format(minor: package.priceMinor, currency: package.currency)) · \(package.headshotCount) headshots, up to \(package.maxPresets) styles")),
                               .p(.class("hint"), .text(capacity.sentence(count: package.headshotCount, maxStyles: package.maxPresets))),
                               .span(.class("button secondary"), .text("Choose \(package.name)")))
                        }),
                        .p(.a(.id("choose-styles"), .class("button"), .href(SiteURL.order(.value(orderID), .checkout).path), "Choose styles and package"))
                    )
                )
            ),
            refundSection(order: orderID, refund: refund, decision: refundDecision, csrf: viewer.csrf),
            .if(!inFlight && order.status != .deleted,
                .section(.class("panel"), .id("delete-order"),
                    .h2("Delete"),
                    .p("You can delete this order's data now instead of waiting for the dates above. It takes ", .text(Deletions.promise), ", and you get a receipt."),
                    .p(.a(.id("delete-selfies-link"), .class("button secondary"), .href(SiteURL.deletions.path(["scope": "selfies", "order_id": orderID.uuidString.lowercased()])),
                          "Delete the selfies only"), " ",
                       .a(.id("delete-order-link"), .class("button danger"), .href(SiteURL.deletions.path(["scope": "order", "order_id": orderID.uuidString.lowercased()])),
                          "Delete this whole order"))
                )
            ),
            .script(.src(SiteURL.asset(.script("order-status.js")).path), .attribute(named: "defer", value: "defer"))
        )
    }

    /// The order's refund: its state once asked for, else (while the order can be refunded) what asking
    /// would do under the policy, and the form.
    static func refundSection(order: UUID, refund: RefundRequest?, decision: RefundPolicy.Decision?, csrf: String) -> Node<HTML.BodyContext> {
        if let refund, refund.status != .rejected {
            let amount = Money.format(minor: refund.amountMinor, currency: refund.currency)
            let state = switch refund.status {
            case .refunded: "Refunded: \(amount) went back to the card you paid with\(refund.statusChangedAt.map { " on " + DateText.long($0) } ?? "")."
            case .approved: "Refund of \(amount) approved; it is being paid back."
            default: "Refund of \(amount) requested: our support team will decide and tell you by email."
            }
            return .section(.class("panel"), .id("refund"), .h2("Refund"), .p(.id("refund-state"), .text(state)))
        }
        guard let decision else { return .empty }
        let what = switch decision {
        case .automatic: "Under our refund policy this order is refunded in full at once if you ask."
        case .support(let why): "This order can't be refunded automatically because \(why); your request goes to our support team."
        }
        return .section(.class("panel"), .id("refund"),
            .h2("Refund"),
            .p(.id("refund-policy"), .text(what + " "), .a(.href(SiteURL.terms.path + "#refund-policy"), "Refund policy")),
            .unwrap(refund) { rejected in .p(.class("hint"), .text("An earlier request was declined\(rejected.statusChangedAt.map { " on " + DateText.long($0) } ?? "").")) },
            .form(.method(.post), .action(SiteURL.order(.value(order), .refund).path), .id("refund-form"),
                Layout.csrfField(csrf),
                .div(.class("field"),
                    .label(.for("reason"), "Why? (optional)"),
                    .input(.id("reason"), .name("reason"), .type(.text), .attribute(named: "maxlength", value: "1000"))),
                .button(.type(.submit), .class("button danger"), .id("request-refund"), "Request a refund"))
        )
    }

    /// "12 of 100 headshots made", or for a re-run "Re-making: 3 of 20 headshots made".
    static func progressText(_ progress: OrderProgress) -> String {
        (progress.remaking ? "Re-making: " : "") + "\(progress.done) of \(progress.total) headshots made"
    }

    /// Stands for a headshot's id in the thumbnail link the page's script fills in.
    static let idPlaceholder = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!

    /// What a paid order will get, in the plan's words: the same count and reason the checkout gave.
    static func planSentence(_ order: Order, capacity: PlanCapacity) -> String? {
        guard order.status != .draft, let count = order.headshotCount, let presets = order.presets?.split(separator: ","), !presets.isEmpty else {
            return nil
        }
        let styles = presets.count
        let base = "\(count) headshots in \(styles) style\(styles == 1 ? "" : "s"), each a different picture: another of your photos or another framing"
        guard capacity.photos > 0 else { return base + "." }
        return base + " (your \(capacity.photos) photos give \(capacity.distinctPerStyle) different pictures in each style)."
    }
}
