import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The folder uploads are written to as they arrive (`DATA_DIR/tmp`), before their checks. A file is
/// named for the process receiving it (`upload-<pid>-<uuid>`), so a process starting up removes what a
/// killed one left half-written, without touching the uploads another live process is receiving.
package enum UploadSpool {
    /// Files older than this are removed whoever wrote them (no upload takes a day).
    package static let staleAfter: TimeInterval = 24 * 3600

    package static func directory(dataDirectory: String) -> String { dataDirectory + "/tmp" }

    /// A new file's name, owned by this process.
    package static func fileName() -> String { "upload-\(getpid())-\(UUID().uuidString)" }

    /// Removes the spool files of processes that no longer run, and any older than a day; returns how
    /// many it removed. Blocking file work: run it on a thread pool.
    @discardableResult
    package static func sweep(directory: String, now: Date = Date()) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix("upload-") {
            let path = directory + "/" + name
            let owner = name.split(separator: "-").dropFirst().first.flatMap { pid_t($0) }
            let ownerGone = owner.map { kill($0, 0) != 0 && errno == ESRCH } ?? true
            let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
            let stale = modified.map { now.timeIntervalSince($0) > staleAfter } ?? true
            if ownerGone || stale, (try? FileManager.default.removeItem(atPath: path)) != nil { removed += 1 }
        }
        return removed
    }
}
