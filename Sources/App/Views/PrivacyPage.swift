import HeadshotCore
import Plot
import Vapor

/// `/privacy`: what the service stores, where, for how long, who sees it and how it is deleted,
/// written from the configuration the code itself runs on, so the page cannot drift from it.
enum PrivacyPage {
    static func render(_ viewer: Viewer, config: AppConfig) -> Response {
        let retention = config.retention
        let storage: String = switch config.storage {
        case .local: "on this service's own disk, each order's files encrypted with its own AES-256-GCM key, which is itself sealed by the service's secret key"
        case .s3(let settings): "in a private S3-compatible bucket (\(settings.bucket)), never public, with the bucket's server-side encryption\(settings.serverSideEncryption.map { " (\($0))" } ?? "")"
        }
        let database: String = switch config.database {
        case .sqlite: "an embedded SQLite database on the same machine"
        case .postgres: "a PostgreSQL database"
        }
        let payments: String = switch config.payments {
        case .sandbox: "This installation takes no real payments (test cards only)."
        case .stripe: "Payments are taken by Stripe: we never see or store card numbers, only Stripe's payment reference."
        }
        let contact = config.mailFrom
        return Layout.page(PageContext(viewer, title: "Privacy"),
            .section(.class("panel prose"), .id("privacy-policy"),
                .h1("How we handle your data"),
                .p("This page is generated from the settings this service runs with, so it says what the code does."),
                .h2("What we store"),
                .ul(
                    .li("Your account: your email address and a bcrypt hash of your password (never the password itself)."),
                    .li("Sign-ins: for each browser, a digest of its session token, its address and browser name. A session lasts 7 days at most; its record is kept 30 days after it ends so you can see recent sign-ins. Failed sign-in attempts are kept 15 minutes."),
                    .li("Your selfies: a re-encoded copy of each photo with its metadata (location, camera, time) removed, and two thumbnails."),
                    .li("Your face data: for each photo, a face descriptor (128 numbers; biometric data) used to check that your photos show one person and that every headshot still looks like you. The 68 face landmarks are used while a photo is checked and never stored."),
                    .li("Your headshots, your favourites and the share links you create."),
                    .li(.text("Your orders and payments. " + payments)),
                    .li("An activity log of what happened to your account and orders (you can read it on your account page), without the photos or their contents.")
                ),
                .h2("Where"),
                .p(.text("Photos and headshots are stored \(storage). Everything else is kept in \(database).")),
                .h2("For how long"),
                .ul(.id("retention"),
                    .li(.text("Selfies, their thumbnails and face data: deleted \(retention.selfieDays) days after upload, automatically.")),
                    .li(.text("Headshots: deleted \(retention.headshotDays) days after your order is delivered, automatically.")),
                    .li("A photo you remove before paying: deleted at once, with its face data."),
                    .li("Photos of an order left as a draft (never taken to payment): deleted 48 hours after you started it, with the order's encryption key."),
                    .li("Emails we send: their text is deleted as soon as they are delivered; the record that one was sent after 30 days.")
                ),
                .h2("Who can see it"),
                .p("You. Headshot Studio's support staff can see your orders to help you when you ask. Nobody else: photos are never public, download links work only for you and only for 15 minutes, and a share link opens only the one headshot you chose, until it expires or you revoke it. We never use your photos for anything but your order, and never to train models."),
                .h2("A copy of your data"),
                .p("On your account page, \"Download my data\" prepares a ZIP of your selfies (the copies we keep), your headshots, and one JSON file with your account, orders, payments, consents, notifications and activity. We email you a link that works for 24 hours, only when you are signed in; the copy itself is deleted 7 days after it is made."),
                .h2("Deleting sooner"),
                .p("You can delete your data yourself at any time, without asking anyone: an order's selfies only, a whole order (from its page), or your whole account (from your account page). You re-enter your password; the deletion runs in the background, ",
                   .text(Deletions.promise), ". You watch it finish and get a receipt that proves it: what kinds of data went, how many items and bytes, when, when the encryption keys were destroyed, and a fingerprint (SHA-256) of the list of deleted files. The receipt has no personal content; it stays after your account is gone and opens only with the code you were shown, which we keep only as a hash. An email confirms each deletion."),
                .p("Deleting an account removes every record that carries it: orders, photos, face data, headshots, share links, favourites, download records, sign-ins, API tokens, notifications, support messages and sign-in attempts. What remains: the receipt, and our audit log of what happened when, with its details erased. Payment records of a deleted order (amounts and references, no photos) are kept for accounting until the account itself is deleted."),
                .p(.text("A legal hold (a court or authority requiring us to keep data) pauses deletion of what it covers; you are told that a hold exists, and the deletion finishes when it is released. Questions: \(contact).")),
                .h2("Backups"),
                .p("Backups of the database and of the stored files may exist for disaster recovery. Stored files are encrypted with per-order keys kept apart from the files; destroying an order's key makes every copy of its files unreadable, including copies in backups.")
            )
        )
    }
}
