import Foundation
import HeadshotCore
import Imaging

/// What `headshot check` prints: a table for people, JSON for scripts. Descriptors never appear.
struct CheckOutput {
    let result: SetCheckResult
    /// Files that could not even be read from disk, with the reason.
    let unreadable: [(path: String, reason: String)]

    var ready: Bool { unreadable.isEmpty && result.everyPhotoReady }

    func table() -> String {
        var rows: [[String]] = [["FILE", "VERDICT", "SCORE", "FINDINGS"]]
        for photo in result.photos {
            switch photo.outcome {
            case .checked(let report):
                let problems = report.problems.map { "\($0.code.rawValue) (\($0.verdict.rawValue)): \($0.message)" }
                rows.append([photo.id, report.verdict.rawValue, "\(report.score)", problems.isEmpty ? "—" : problems.joined(separator: "; ")])
            case .refused(let error):
                rows.append([photo.id, "refused", "0", "\(error.code): \(error.message)"])
            }
        }
        for file in unreadable { rows.append([file.path, "refused", "0", file.reason]) }
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row[3]
        }
        lines.append("")
        for finding in result.setReport.findings where finding.verdict != .pass {
            lines.append("set: \(finding.code.rawValue) (\(finding.verdict.rawValue)): \(finding.message) \(finding.tip)")
        }
        lines.append(result.setReport.summary + (ready ? "" : result.setReport.ready ? " Some files failed: remove or replace them." : ""))
        return lines.joined(separator: "\n")
    }

    func json() throws -> String {
        let encoder = WireNames.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let photos = result.photos.map { photo -> PhotoJSON in
            switch photo.outcome {
            case .checked(let report):
                PhotoJSON(file: photo.id, verdict: report.verdict.rawValue, score: report.score, findings: report.findings,
                          error: nil, width: report.width, height: report.height, faceBox: report.faceBox)
            case .refused(let error):
                PhotoJSON(file: photo.id, verdict: "refused", score: 0, findings: [],
                          error: .init(code: error.code, message: error.message, tip: error.tip), width: nil, height: nil, faceBox: nil)
            }
        } + unreadable.map {
            PhotoJSON(file: $0.path, verdict: "refused", score: 0, findings: [],
                      error: .init(code: "unreadable_file", message: $0.reason, tip: "Check the path."), width: nil, height: nil, faceBox: nil)
        }
        let document = SetJSON(ready: ready, accepted: result.setReport.accepted, summary: result.setReport.summary,
                               setFindings: result.setReport.findings, photos: photos)
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    private struct SetJSON: Encodable {
        let ready: Bool
        let accepted: Int
        let summary: String
        let setFindings: [Finding]
        let photos: [PhotoJSON]
    }

    private struct PhotoJSON: Encodable {
        struct Problem: Encodable { let code, message, tip: String }
        let file: String
        let verdict: String
        let score: Int
        let findings: [Finding]
        let error: Problem?
        let width: Int?
        let height: Int?
        let faceBox: ImageRect?
    }
}
