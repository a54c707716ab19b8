import Foundation
import SluiceConsole
import Testing

/// Golden text snapshots of frames, under `Tests/SluiceConsoleTests/Snapshots/`.
///
/// Run with `SLUICE_RECORD_SNAPSHOTS=1` to (re)record them after an intended change, then review
/// the diff like any other code change.
enum Snapshot {
    static var directory: String {
        let file = URL(fileURLWithPath: #filePath)
        return file.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Snapshots").path
    }

    static var recording: Bool { ProcessInfo.processInfo.environment["SLUICE_RECORD_SNAPSHOTS"] == "1" }

    /// The frame as a snapshot file: a ruler line with the size, then every row between bars so
    /// trailing spaces and the exact width are visible.
    static func render(_ frame: Frame) -> String {
        var out = "size \(frame.size)\n"
        for y in 0..<frame.size.height {
            var line = ""
            for x in 0..<frame.size.width where !frame[x, y].isContinuation { line += frame[x, y].symbol }
            out += "|" + line + "|\n"
        }
        return out
    }

    /// Compares `frame` with the golden file `name`, or records it.
    static func check(_ frame: Frame, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let path = directory + "/" + name + ".txt"
        let actual = render(frame)
        if recording {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: path, contents: Data(actual.utf8))
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            Issue.record("snapshot \(name) is missing: run with SLUICE_RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            var diff: [String] = []
            for i in 0..<max(e.count, a.count) {
                let want = i < e.count ? String(e[i]) : "<none>"
                let got = i < a.count ? String(a[i]) : "<none>"
                guard want != got else { continue }
                diff.append("line \(i):\n  expected \(want)\n  actual   \(got)")
                if diff.count == 6 { break }
            }
            let text = "snapshot \(name) differs (re-record with SLUICE_RECORD_SNAPSHOTS=1 if intended):\n" + diff.joined(separator: "\n")
            Issue.record(Comment(rawValue: text), sourceLocation: sourceLocation)
        }
    }
}
