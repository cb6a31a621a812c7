import Foundation
import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// The pages of someone coming into a team: an invitation's join page, and a member's form that
/// submits their order on one of the team's seats.
extension TeamPages {
    /// The join page of an invitation: the team, who pays, what the team will see, and the way in.
    static func join(_ viewer: Viewer, token: String, team: Team?, invitation: TeamInvitation?, refusal: String?, status: HTTPResponseStatus = .ok) -> Response {
        let context = PageContext(viewer, title: team.map { "Join \($0.name)" } ?? "Invitation")
        let here = SiteURL.join(.value(token)).path
        return Layout.page(context, status: status,
            .section(.class("panel"), .id("join"),
                .h1(.text(team.map { "Join \($0.name)" } ?? "Invitation")),
                FormComponents.alert(refusal),
                .unwrap(team) { team in
                    .group(
                        .p(.id("who-pays"), .text("\(team.name) pays for your professional headshots with one of its seats: you upload 8–20 selfies, pick one of the team's styles, and we make them. You never pay.")),
                        .p(.class("hint"), .id("team-visibility"), .text(visibility)),
                        .if(refusal == nil, context.user == nil
                            ? .p(.a(.class("button"), .href(SiteURL.logIn.path(["next": here])), "Log in to join"),
                                 .text(" New here? "), .a(.href(SiteURL.signUp.path), "Sign up"),
                                 .text(" (confirm your email, then open this link again)."))
                            : .form(.method(.post), .action(here), .id("accept-invitation"),
                                    Layout.csrfField(context.csrf),
                                    .button(.type(.submit), .class("button"), .text("Join \(team.name)"))))
                    )
                }
            )
        )
    }

    /// A member's submit form: the team's styles, consent, and no payment.
    static func submit(_ viewer: Viewer, order: Order, choices: TeamOrders.Choices, capacity: PlanCapacity, chosenPresets: [String],
                       retention: RetentionPolicy, errors: [String: String] = [:], status: HTTPResponseStatus = .ok) throws -> Response {
        let context = PageContext(viewer, title: "Your team headshots")
        let orderID = try order.requireID()
        let team = choices.access.team
        return Layout.page(context, status: status,
            .section(.class("panel"),
                .h1("Choose your styles"),
                FormComponents.alert(errors.isEmpty ? nil : "Please check the choices marked below."),
                .p(.id("who-pays"), .text(choices.package.map { "\(team.name) pays for these headshots with one of its \($0.name) seats (\($0.headshotCount) headshots, up to \($0.maxPresets) styles)." }
                        ?? "\(team.name) has no seat left for you. Ask your team's owner to buy more seats.")),
                .p(.class("hint"), .text(visibility)),
                .unwrap(backdropSentence(team.backdropColour, team: team.name, presets: choices.presets)) { .p(.id("team-backdrop"), swatch(team.backdropColour), .text(" " + $0)) },
                .p(.id("plan-capacity"), .class("hint"),
                   .text("Your \(capacity.photos) photos give \(capacity.distinctPerStyle) different pictures in each style.")),
                .form(.method(.post), .action(SiteURL.order(.value(orderID), .submit).path), .id("team-submit"),
                    Layout.csrfField(context.csrf),
                    .unwrap(errors["count"]) { message in
                        .group(.p(.class("error"), .id("count-error"), .text(message)),
                               .label(.class("option"), .input(.type(.checkbox), .name("accept_fewer"), .value("yes"), .id("accept-fewer")),
                                      .text(" Continue with fewer headshots")))
                    },
                    .unwrap(errors["seats"]) { .p(.class("error"), .id("seats-error"), .text($0)) },
                    .h2("Styles"),
                    .unwrap(errors["presets"]) { .p(.class("error"), .text($0)) },
                    .forEach(choices.presets) { preset in
                        .label(.class("option"),
                            .input(.type(.checkbox), .name("presets[]"), .value(preset.rawValue), .id("preset-\(preset.rawValue)"),
                                   .attribute(named: "checked", value: chosenPresets.contains(preset.rawValue) || choices.presets.count == 1 ? "checked" : nil)),
                            .strong(.text(" " + preset.name)), .span(.text(" · " + preset.summary)))
                    },
                    .h2("Your photos and your privacy"),
                    .ul(.forEach(ConsentPolicy.points(retention)) { .li(.text($0)) }),
                    .unwrap(errors["consent"]) { .p(.class("error"), .text($0)) },
                    .label(.class("option"),
                        .input(.type(.checkbox), .name("consent"), .value("yes"), .id("consent")),
                        .text(" I agree that my photos and face data are processed as described above to make my headshots.")),
                    .button(.type(.submit), .id("submit-team-order"), .class("button"), "Make my headshots"))
            )
        )
    }
}
