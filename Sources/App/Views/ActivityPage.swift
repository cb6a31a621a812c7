import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// The user's own activity log (`/account/activity`): what happened to their account and orders, when, and by whom.
enum ActivityPage {
    static func render(_ viewer: Viewer, page: ActivityLog.Page) -> Response {
        let context = PageContext(viewer, title: "Your activity")
        let path = SiteURL.account(.activity)
        return Layout.page(context,
            .section(.class("panel"),
                .h1("Your activity"),
                .p(.class("hint"), "Everything that happened to your account and your orders, newest first: sign-ins, uploads, payments, work on your headshots, downloads and deletions. Times are UTC."),
                .if(page.entries.isEmpty, .p(.class("empty"), "Nothing here yet.")),
                .if(!page.entries.isEmpty, .table(.id("activity"),
                    .thead(.tr(.th("When"), .th("What"), .th("By"))),
                    .tbody(.forEach(page.entries) { entry in
                        .tr(.td(.text(DateText.short(entry.at))), .td(.text(entry.description)), .td(.text(entry.actor)))
                    })
                )),
                .p(.class("pager"),
                   .if(page.page > 1, .a(.href(path.path(["page": String(page.page - 1)])), "Newer")),
                   .if(page.page > 1 && page.hasMore, .text(" · ")),
                   .if(page.hasMore, .a(.id("older"), .href(path.path(["page": String(page.page + 1)])), "Older")))
            )
        )
    }
}
