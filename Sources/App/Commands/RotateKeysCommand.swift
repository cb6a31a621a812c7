import BlobStorage
import HeadshotCore
import Vapor

/// `headshot rotate-keys`: after putting a new secret first in `SECRET_KEYS` (the old one after it),
/// re-seals every stored data key under the new secret, so the old one can then be removed from
/// `SECRET_KEYS`. Safe to run while the service runs, and to run again. Download links signed under
/// the old secret stop working when it is removed (they last 15 minutes; share links up to 7 days).
struct RotateKeysCommand: AsyncCommand {
    let services: AppServices

    struct Signature: CommandSignature {}

    var help: String { "Re-seals every stored data key under the current secret (the first of SECRET_KEYS)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let store = services.configuredStore as? LocalBlobStore else {
            context.console.print("Storage is S3: objects are encrypted by the bucket (server-side encryption), and no data keys are sealed under SECRET_KEYS. Nothing to re-seal.")
            return
        }
        let result = try await store.rotate()
        context.console.print("Current secret \(services.secrets.currentID): \(result.resealed) data keys re-sealed, \(result.alreadyCurrent) already current.")
        if !result.unreadable.isEmpty {
            context.console.error("\(result.unreadable.count) data keys are sealed under a secret that is not in SECRET_KEYS and were left as they are: \(result.unreadable.prefix(10).joined(separator: ", "))\(result.unreadable.count > 10 ? ", …" : ""). Add that secret to SECRET_KEYS and run this again.")
            throw CommandError.message("not every data key could be re-sealed")
        }
        context.console.print("You can now remove the older secrets from SECRET_KEYS.")
    }
}
