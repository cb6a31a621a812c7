import HeadshotCore
import Plot
import SiteRoutes
import Vapor

enum LandingPage {
    /// `remoteStyles` are the presets a GPU model makes in this install (none by default: no generative AI then).
    static func render(_ viewer: Viewer, packages: [PackageDTO], turnaround: TurnaroundDTO, retention: RetentionPolicy, remoteStyles: [String] = []) -> Response {
        Layout.page(PageContext(viewer, title: "Professional headshots from your selfies"),
            .section(.class("hero"),
                .h1("Professional headshots from your own selfies"),
                .p(.class("lead"), "Upload 8–20 selfies. We check every photo on the spot, tell you exactly what to fix, and turn the good ones into studio-style portraits you can download."),
                .p(.a(.class("button"), .href(viewer.account == nil ? SiteURL.signUp.path : SiteURL.dashboard.path), "Get your headshots"))
            ),
            .section(.class("steps"),
                .h2("How it works"),
                .ol(
                    .li(.strong("Upload selfies. "), "Each photo is checked as it arrives: one face, sharp, well lit, whole head, the same person in every photo."),
                    .li(.strong("Pick styles and a package. "), "Choose the backdrops you like and pay securely."),
                    .li(.strong("Download. "), "Watch progress live and get an email when your gallery is ready.")
                )
            ),
            .section(.id("pricing"), .class("pricing"),
                .h2("Packages"),
                .div(.class("cards"), .forEach(packages) { package in
                    .article(.class("card"),
                        .h3(.text(package.name)),
                        .p(.class("price"), .text(package.priceDisplay)),
                        .ul(
                            .li(.text("\(package.headshotCount) headshots")),
                            .li(.text("Up to \(package.maxPresets) style presets")),
                            .li(.class("reruns"), .text(Reruns.creditsPhrase(package.rerunCredits))),
                            .li(.text(package.priorityQueue ? "Priority queue" : "Standard queue"))
                        )
                    )
                }),
                .p(.class("turnaround"), .text(turnaround.sentence)),
                .p(.class("refund-summary"), .text(RefundPolicy.summary + " "), .a(.href(SiteURL.terms.path + "#refund-policy"), "Refund policy"))
            ),
            .section(.id("privacy"), .class("privacy"),
                .h2("Your photos, your data"),
                .ul(
                    .li(.text("Your selfies and their face data are deleted automatically \(retention.selfieDays) days after you upload them.")),
                    .li(.text("Your headshots are deleted automatically \(retention.headshotDays) days after delivery.")),
                    .li("A photo you remove before paying is deleted at once, with its face data."),
                    .li(.text("Delete an order, its selfies, or your whole account yourself at any time: \(Deletions.promise), with a receipt that proves it.")),
                    .li("Photos are stored encrypted and are never public. We never use them for anything but your order.")
                ),
                .p(.a(.id("privacy-link"), .href(SiteURL.privacy.path), "How we handle your data, in full"))
            ),
            .section(.class("honesty"),
                .h2("How the images are made"),
                remoteStyles.isEmpty
                    ? .p("Headshots are made by our studio renderer from your own photos: it cuts you out of the background, frames and relights the portrait, and places you on a studio backdrop. No generative AI draws your face. Every image is labelled in its metadata with how it was made.")
                    : .p(.id("remote-styles"), .text("The \(remoteStyles.compactMap { StylePreset(rawValue: $0)?.name }.joined(separator: ", ")) style\(remoteStyles.count == 1 ? " is" : "s are") made by a diffusion model on a GPU provider: it draws new pictures of you from your photos (AI-generated). The other styles are made by our studio renderer from your own photos. Every headshot must still measure as you, is marked in your gallery, and is labelled in its metadata with how it was made.")),
                .p(.a(.href(SiteURL.styles.path), "See the five styles on real renders"))
            )
        )
    }
}
