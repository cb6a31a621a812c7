import HeadshotCore
import Vapor

/// `headshot audit-storage [--delete]`: the remnant scan, on local storage or S3. Prints every
/// orphaned blob and every row whose blob is missing; exits 1 when it found any (so it can gate a
/// deployment); `--delete` removes the orphans.
struct AuditStorageCommand: AsyncCommand {
    let services: AppServices

    struct Signature: CommandSignature {
        @Flag(name: "delete", help: "Delete the orphaned blobs it finds")
        var delete: Bool
    }

    var help: String { "Lists blobs no live row references, and rows whose blob is missing (--delete removes the orphans)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let report = try await StorageAudit(db: context.application.db, store: services.blobStore).run(delete: signature.delete)
        for path in report.orphans { context.console.print("orphan  \(path)") }
        for path in report.missing { context.console.print("missing \(path)") }
        context.console.print("\(report.scannedBlobs) blobs scanned: \(report.orphans.count) orphaned\(signature.delete && !report.orphans.isEmpty ? " (deleted)" : ""), \(report.missing.count) rows with a missing blob.")
        if !report.missing.isEmpty || (!report.orphans.isEmpty && !signature.delete) {
            throw CommandError.message("storage and database disagree")
        }
    }
}
