import HeadshotCore
import Plot
import Vapor

/// Pages around download links.
enum DownloadPages {
    /// 410: the link has expired; the owner gets a fresh one right here.
    static func expired(_ viewer: Viewer, freshLink: String) -> Response {
        Layout.page(PageContext(viewer, title: "Link expired"), status: .gone,
            .section(.class("panel narrow"),
                .h1("This download link has expired"),
                .p("Download links last 15 minutes, so a copied or forwarded link stops working soon after."),
                .p(.a(.id("fresh-link"), .class("button"), .href(freshLink), "Download with a fresh link"))
            )
        )
    }
}
