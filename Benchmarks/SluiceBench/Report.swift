import Foundation
import Synchronization

/// One measured figure beside its peer and target, as the README table shows it.
struct Row: Codable, Sendable {
    var section: String
    var measure: String
    var value: Double
    var unit: String
    var peer: String?
    var peerValue: Double?
    var target: String
    var met: Bool
    var note: String?
}

/// Collects rows and prints the Markdown table and the JSON file.
final class Report: Sendable {
    private let stored = Mutex<[Row]>([])
    var rows: [Row] { stored.withLock { $0 } }

    func add(_ row: Row) {
        stored.withLock { $0.append(row) }
        let ratio = row.peerValue.map { $0 > 0 ? String(format: " (%.2fx of peer)", row.value / $0) : "" } ?? ""
        FileHandle.standardError.write(Data("  \(row.measure): \(Report.format(row.value)) \(row.unit)\(ratio) — target \(row.target) \(row.met ? "met" : "MISSED")\n".utf8))
    }

    static func format(_ v: Double) -> String {
        if v >= 1000 { return String(format: "%.0f", v) }
        if v >= 10 { return String(format: "%.1f", v) }
        return String(format: "%.3f", v)
    }

    func markdown(machine: String) -> String {
        var out = "Machine: \(machine)\n\n| section | measure | Sluice | peer (same run) | target | |\n|---|---|---|---|---|---|\n"
        for r in rows {
            let peer = r.peer.map { name in r.peerValue.map { "\(name): \(Report.format($0)) \(r.unit)" } ?? name } ?? "—"
            out += "| \(r.section) | \(r.measure) | \(Report.format(r.value)) \(r.unit) | \(peer) | \(r.target) | \(r.met ? "✓" : "✗") |\n"
        }
        return out
    }

    func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(rows)) ?? Data()
    }
}

/// Wall time of a block in seconds.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Wall time of an async block in seconds.
func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The median of several timed runs, in milliseconds.
func medianMillis(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    var samples: [Double] = []
    for _ in 0..<repeats { samples.append(try seconds(body) * 1000) }
    samples.sort()
    return samples[samples.count / 2]
}
