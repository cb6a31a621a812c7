import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// The sandbox gateway's hosted checkout: it looks like a provider's page and says plainly that it
/// takes test cards only.
enum SandboxCheckoutPage {
    /// `cancel` is where "Cancel and go back" leads (on the browser's own address).
    static func render(_ viewer: Viewer, checkout: SandboxCheckout, cancel: String, problem: String? = nil, status: HTTPResponseStatus = .ok) -> Response {
        let context = PageContext(viewer, title: "Sandbox checkout")
        return Layout.page(context, status: status,
            .section(.class("panel narrow"),
                .h1("Sandbox checkout"),
                .p(.class("notice"), "This is the built-in test payment page. No real card is charged and no money moves."),
                .p(.strong(.text(Money.format(minor: checkout.amountMinor, currency: checkout.currency))), .text(" · " + checkout.description)),
                FormComponents.alert(problem),
                .form(.method(.post), .action(SiteURL.sandboxCheckout(.value(checkout.reference)).path),
                    Layout.csrfField(context.csrf),
                    FormComponents.field(.init(name: "card_number", label: "Card number", value: nil, autocomplete: "cc-number",
                                               hint: "4242 4242 4242 4242 succeeds · 4000 0000 0000 0002 is declined · 4000 0000 0000 9995 has insufficient funds")),
                    .button(.type(.submit), .id("pay"), .class("button"), .text("Pay \(Money.format(minor: checkout.amountMinor, currency: checkout.currency))"))
                ),
                .p(.a(.href(cancel), "Cancel and go back"))
            ),
            .script(.src(SiteURL.asset(.script("checkout.js")).path), .attribute(named: "defer", value: "defer"))
        )
    }
}
