import Foundation

/// How long personal data is kept, read from the environment (`SELFIE_RETENTION_DAYS`,
/// `HEADSHOT_RETENTION_DAYS`) and stated in one place: the retention worker deletes by it, and every
/// page, email and API answer that promises a date computes it here.
package struct RetentionPolicy: Sendable, Equatable {
    /// Selfies (normalised copies, thumbnails, face descriptor) are deleted this many days after upload.
    package var selfieDays: Int
    /// Headshots are deleted this many days after their order completes.
    package var headshotDays: Int

    package init(selfieDays: Int = 7, headshotDays: Int = 30) {
        self.selfieDays = selfieDays
        self.headshotDays = headshotDays
    }

    /// When a selfie uploaded at `uploadedAt` is deleted.
    package func selfieDeletion(uploadedAt: Date) -> Date {
        uploadedAt.addingTimeInterval(TimeInterval(selfieDays) * 86_400)
    }

    /// When the headshots of an order completed at `completedAt` are deleted.
    package func headshotDeletion(completedAt: Date) -> Date {
        completedAt.addingTimeInterval(TimeInterval(headshotDays) * 86_400)
    }

    package var selfieSentence: String { "Your selfies and their face data are deleted \(selfieDays) \(selfieDays == 1 ? "day" : "days") after upload." }
    package var headshotSentence: String { "Your headshots are deleted \(headshotDays) \(headshotDays == 1 ? "day" : "days") after delivery." }

    /// "Your selfies will be deleted on 4 December 2026, your headshots on 27 December 2026." for an
    /// order: the first selfie's date (they go one by one, each on its own day), and the headshots'
    /// date once the order has completed.
    package func orderSentence(selfiesDeleted: Date?, headshotsDeleted: Date?) -> String? {
        switch (selfiesDeleted, headshotsDeleted) {
        case let (selfies?, headshots?):
            "Your selfies will be deleted on \(DateText.long(selfies)), your headshots on \(DateText.long(headshots))."
        case let (selfies?, nil):
            "Your selfies will be deleted on \(DateText.long(selfies)); your headshots \(headshotDays) days after they are delivered."
        case let (nil, headshots?):
            "Your selfies have been deleted; your headshots will be deleted on \(DateText.long(headshots))."
        case (nil, nil):
            nil
        }
    }
}
