import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// The friendly page every browser error ends on: what happened in plain words, where to go next,
/// and a reference that support can look up in the logs. Never a stack trace.
enum ErrorPage {
    static func render(status: HTTPResponseStatus, message: String, viewer: Viewer) -> Response {
        let title: String
        switch status.code {
        case 404: title = "Page not found"
        case 403: title = "Not allowed"
        case 429: title = "Please slow down"
        case 500..<600: title = "Something went wrong"
        default: title = "We couldn't do that"
        }
        return Layout.page(PageContext(viewer, title: title), status: status,
            .section(.class("panel narrow"),
                .h1(.text(title)),
                .p(.text(message)),
                .p(.a(.href(viewer.account == nil ? SiteURL.home.path : SiteURL.dashboard.path), "Back to safety")),
                .p(.class("reference"), .text("Reference: \(viewer.requestID)"))
            )
        )
    }
}
