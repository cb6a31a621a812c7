import HeadshotCore
import Plot
import SiteRoutes
import Vapor

enum NotificationsPage {
    static func render(_ viewer: Viewer, items: [NotificationDTO]) -> Response {
        let context = PageContext(viewer, title: "Notifications")
        return Layout.page(context,
            .section(.class("panel"),
                .h1("Notifications"),
                .if(items.isEmpty, .p(.class("empty"), "Nothing yet. We'll tell you here (and by email) when your headshots are ready.")),
                .if(items.contains { !$0.read },
                    .form(.method(.post), .action(SiteURL.notificationsReadAll.path), Layout.csrfField(context.csrf),
                          .button(.type(.submit), .class("link"), "Mark all as read"))),
                .ul(.class("notifications"), .forEach(items) { item in
                    .li(.class(item.read ? "read" : "unread"),
                        .strong(.text(item.title)), .p(.text(item.body)),
                        .form(.method(.post), .action(SiteURL.notificationRead(.value(item.id)).path), .class("inline"),
                              Layout.csrfField(context.csrf),
                              .button(.type(.submit), .class("link"), .text(item.link == nil ? "Mark as read" : "Open")))
                    )
                })
            )
        )
    }
}
