import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// Styles, package, and consent in plain words, before any charge.
enum CheckoutPage {
    /// The package chosen when the customer has not chosen one.
    static let defaultPackage = "professional"

    /// `retention` says what is deleted when; `selfiesDeleted` is the date the order's first selfie goes.
    /// `capacity` is what the order's photos can give (the plan's figures), stated before any choice.
    static func render(_ viewer: Viewer, order: Order, packages: [PackageDTO], capacity: PlanCapacity, chosenPackage: String?, chosenPresets: [String],
                       retention: RetentionPolicy, selfiesDeleted: Date?,
                       errors: [String: String] = [:], status: HTTPResponseStatus = .ok) throws -> Response {
        let context = PageContext(viewer, title: "Styles and package")
        let orderID = try order.requireID()
        return Layout.page(context, status: status,
            .section(.class("panel"),
                .h1("Choose your styles and package"),
                FormComponents.alert(errors.isEmpty ? nil : "Please check the choices marked below."),
                .form(.method(.post), .action(SiteURL.order(.value(orderID), .checkout).path),
                    Layout.csrfField(context.csrf),
                    .div(.class("choice"), .attribute(named: "role", value: "group"), .attribute(named: "aria-labelledby", value: "package-heading"),
                        .h2(.id("package-heading"), "Package"),
                        .p(.id("plan-capacity"), .class("hint"),
                           .text("Every headshot is a different picture: another of your photos or another framing. Your \(capacity.photos) photos give \(capacity.distinctPerStyle) different pictures in each style.")),
                        .unwrap(errors["package"]) { .p(.class("error"), .text($0)) },
                        .unwrap(errors["count"]) { message in
                            .group(
                                .p(.class("error"), .id("count-error"), .text(message)),
                                .label(.class("option"), .input(.type(.checkbox), .name("accept_fewer"), .value("yes"), .id("accept-fewer")),
                                       .text(" Continue with fewer headshots, for the lower price"))
                            )
                        },
                        .forEach(packages) { package in
                            .label(.class("option"),
                                .input(.type(.radio), .name("package"), .value(package.code), .id("package-\(package.code)"),
                                       .data(named: "max-presets", value: String(package.maxPresets)), .data(named: "name", value: package.name),
                                       .attribute(named: "checked", value: package.code == (chosenPackage ?? defaultPackage) ? "checked" : nil)),
                                .strong(.text(" \(package.name) — \(Money.format(minor: package.priceMinor, currency: package.currency))")),
                                .span(.text(" · \(package.headshotCount) headshots, up to \(package.maxPresets) styles, \(Reruns.creditsPhrase(package.rerunCredits).lowercased())\(package.priorityQueue ? ", priority queue" : "")")),
                                .span(.class("hint plan-line"), .id("plan-\(package.code)"),
                                      .text(" " + capacity.sentence(count: package.headshotCount, maxStyles: package.maxPresets)))
                            )
                        }
                    ),
                    .div(.class("choice"), .attribute(named: "role", value: "group"), .attribute(named: "aria-labelledby", value: "styles-heading"),
                        .h2(.id("styles-heading"), "Styles"),
                        .p(.class("hint"), .a(.href(SiteURL.styles.path), "See each style on a real render"), " · ", .text(StylePreset.exampleCredit)),
                        .unwrap(errors["presets"]) { .p(.class("error"), .text($0)) },
                        .p(.id("styles-count"), .class("hint"), .attribute(named: "aria-live", value: "polite")),
                        .forEach(StylePreset.allCases) { preset in
                            .label(.class("option"),
                                .input(.type(.checkbox), .name("presets[]"), .value(preset.rawValue), .id("preset-\(preset.rawValue)"),
                                       .attribute(named: "checked", value: chosenPresets.contains(preset.rawValue) ? "checked" : nil)),
                                .img(.src(preset.exampleImage), .alt("\(preset.name) example"), .class("preset-example"),
                                     .attribute(named: "width", value: "64"), .attribute(named: "height", value: "80"),
                                     .attribute(named: "loading", value: "lazy")),
                                .strong(.text(" " + preset.name)), .span(.text(" · " + preset.summary))
                            )
                        }
                    ),
                    .div(.class("choice consent"), .attribute(named: "role", value: "group"), .attribute(named: "aria-labelledby", value: "consent-heading"),
                        .h2(.id("consent-heading"), "Your photos and your privacy"),
                        .ul(.forEach(ConsentPolicy.points(retention)) { .li(.text($0)) }),
                        .unwrap(retention.orderSentence(selfiesDeleted: selfiesDeleted, headshotsDeleted: nil)) {
                            .p(.id("retention-dates"), .strong(.text($0)))
                        },
                        .p(.a(.href(SiteURL.privacy.path), "Read how we handle your data")),
                        .unwrap(errors["consent"]) { .p(.class("error"), .text($0)) },
                        .p(.id("consent-error"), .class("error"), .attribute(named: "hidden", value: "hidden")),
                        .label(.class("option"),
                            .input(.type(.checkbox), .name("consent"), .value("yes"), .id("consent")),
                            .text(" I agree that my photos and face data are processed as described above to make my headshots.")
                        )
                    ),
                    .p(.class("hint"), "Payment is taken on the next page. Nothing is charged until you confirm there."),
                    .p(.class("hint"), .id("refund-summary"), .text(RefundPolicy.summary + " "), .a(.href(SiteURL.terms.path + "#refund-policy"), "Refund policy")),
                    .p(.id("pay-blocked"), .class("error"), .attribute(named: "role", value: "alert"), .attribute(named: "hidden", value: "hidden")),
                    .button(.type(.submit), .id("pay"), .class("button"), "Continue to payment")
                )
            ),
            .script(.src(SiteURL.asset(.script("checkout.js")).path), .attribute(named: "defer", value: "defer"))
        )
    }
}

/// "Confirming your payment…": this page never grants anything; it shows what the webhook did.
/// A paid order's receipt, laid out to print on one page.
enum ReceiptPage {
    static func render(_ viewer: Viewer, _ receipt: PaymentReceipt) -> Response {
        Layout.page(PageContext(viewer, title: "Receipt"),
            .section(.class("panel receipt"), .id("payment-receipt"),
                .h1("Receipt"),
                .p("Headshot Studio"),
                .dl(.forEach(receipt.lines) { line in .group(.dt(.text(line.label)), .dd(.text(line.value))) }),
                .p(.class("no-print"), .a(.href(SiteURL.order(.value(receipt.orderID), nil).path), "Back to your order"), " · ",
                   .button(.type(.button), .class("link"), .attribute(named: "onclick", value: "window.print()"), "Print"))
            )
        )
    }
}

enum PaymentStatusPage {
    static func render(_ viewer: Viewer, order: Order) throws -> Response {
        let waiting = order.status == .awaitingPayment
        let dto = try OrderDTO(order)
        let response = Layout.page(PageContext(viewer, title: waiting ? "Confirming your payment" : "Your order"),
            .section(.class("panel"),
                .h1(.text(waiting ? "Confirming your payment…" : "Payment received")),
                .p(.id("order-status"), .span(.class("status status-\(order.status.rawValue)"), .text(dto.status.label))),
                .if(waiting,
                    .p("We start as soon as your payment provider confirms the payment, usually within seconds. This page updates by itself."),
                    else: .p(.a(.href(SiteURL.order(.value(try order.requireID()), nil).path), "Go to your order"))
                )
            )
        )
        // No script needed: the browser reloads until the webhook has landed.
        if waiting { response.headers.replaceOrAdd(name: "Refresh", value: "3") }
        return response
    }
}
