/// One file of a checked set: its report, or why it was refused before any face check.
public struct CheckedPhoto: Sendable {
    public enum Outcome: Sendable {
        case checked(PhotoReport)
        case refused(PhotoError)
    }

    public var id: String
    public var outcome: Outcome

    public var report: PhotoReport? {
        if case .checked(let report) = outcome { return report }
        return nil
    }

    public var verdict: Verdict { report?.verdict ?? .fail }
}

/// A whole set checked at once: every photo (in the order given) and the set's verdict.
public struct SetCheckResult: Sendable {
    public var photos: [CheckedPhoto]
    public var setReport: SetReport

    /// Every file passed (or passed with advice) and together they make a ready set.
    public var everyPhotoReady: Bool { setReport.ready && photos.allSatisfy { $0.verdict != .fail } }
}

extension PhotoInspector {
    /// Checks photos in parallel on the inspector's threads, then runs the set checks over them.
    /// An internal failure on one photo refuses that photo only; the rest are still checked.
    public func checkSet(_ files: [(id: String, bytes: [UInt8])]) async -> SetCheckResult {
        var outcomes = [CheckedPhoto.Outcome?](repeating: nil, count: files.count)
        await withTaskGroup(of: (Int, CheckedPhoto.Outcome).self) { group in
            var next = 0
            func submit() {
                guard next < files.count else { return }
                let index = next, bytes = files[index].bytes
                next += 1
                group.addTask {
                    do {
                        return (index, .checked(try await self.inspect(bytes).report))
                    } catch let error as PhotoError {
                        return (index, .refused(error))
                    } catch {
                        return (index, .refused(.unreadable(detail: "\(error)")))
                    }
                }
            }
            // Enough in flight to keep every thread busy without holding every file's pixels at once.
            for _ in 0..<(2 * threadCount) { submit() }
            for await (index, outcome) in group {
                outcomes[index] = outcome
                submit()
            }
        }
        var photos = zip(files, outcomes).map { CheckedPhoto(id: $0.id, outcome: $1!) }
        let checked = photos.indices.filter { photos[$0].report != nil }
        let set = SetEvaluator.evaluate(checked.map { SetMember(id: photos[$0].id, report: photos[$0].report!) })
        // The evaluator keeps the members' order, so position maps back even when ids repeat.
        for (index, member) in zip(checked, set.photos) { photos[index].outcome = .checked(member.report) }
        return SetCheckResult(photos: photos, setReport: set)
    }
}
