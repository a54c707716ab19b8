import Foundation
import SluiceCore

/// One line of a drill trace.
public struct TraceRecord: Sendable, Hashable {
    /// Drill time in milliseconds.
    public var t: Int64
    /// `drill`, `send`, `invoke`, `sample`, `alarm`, `operator`, `redrive.batch`, `end`, …
    public var type: String
    /// Every field of the line, `t` and `type` included.
    public var fields: [String: TraceValue]

    /// A field as text.
    public func string(_ key: String) -> String? { fields[key]?.string }
    /// A field as an integer.
    public func int(_ key: String) -> Int64? { fields[key]?.int }
}

/// Reads drill traces back: for replay, and for the console to play a GameDay again.
public enum TraceReader {
    /// Every line of a trace file.
    /// - Throws: ``SluiceError`` (bad input) naming the line that is not a trace record.
    public static func read(path: String) throws -> [TraceRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SluiceError.notFound("trace '\(path)' does not exist or cannot be read", fix: "pass a file written by 'sluice drill run --trace FILE'")
        }
        return try parse(Array(data), path: path)
    }

    /// Every line of trace bytes.
    public static func parse(_ bytes: [UInt8], path: String = "trace") throws -> [TraceRecord] {
        let decoder = JSONDecoder()
        var records: [TraceRecord] = []
        var lineNumber = 0
        for line in bytes.split(separator: 10, omittingEmptySubsequences: true) {
            lineNumber += 1
            guard let value = try? decoder.decode([String: TraceValue].self, from: Data(line)),
                  let t = value["t"]?.int, let type = value["type"]?.string
            else {
                throw SluiceError.badInput("\(path):\(lineNumber): not a drill trace record", fix: "pass a file written by 'sluice drill run --trace FILE'")
            }
            records.append(TraceRecord(t: t, type: type, fields: value))
        }
        guard records.first?.type == "drill" else {
            throw SluiceError.badInput("\(path):1: the trace does not start with a drill header", fix: "pass a complete trace written by 'sluice drill run --trace FILE'")
        }
        return records
    }

    /// The operator actions taken live in a traced run, to be repeated by a replay.
    public static func liveSteps(in records: [TraceRecord]) -> [OperatorStep] {
        records.filter { $0.type == "operator" && $0.fields["live"] == .bool(true) }.compactMap { r -> OperatorStep? in
            guard let dlq = r.string("dlq"), let verb = r.string("action") else { return nil }
            let at = TimeSpan(millis: r.t)
            switch verb {
            case "redrive":
                guard let runbook = r.string("runbook") else { return nil }
                var filter = MessageFilter.all
                filter.errorTypes = Set(r.fields["error_types"]?.array?.compactMap(\.string) ?? [])
                filter.minAge = r.int("min_age_ms").map(TimeSpan.init(millis:))
                filter.maxAge = r.int("max_age_ms").map(TimeSpan.init(millis:))
                return OperatorStep(at: at, action: .redrive(dlq: dlq, runbook: runbook, ack: r.string("ack"), filter: filter, limit: r.int("limit").map(Int.init)))
            case "pause": return OperatorStep(at: at, action: .pause(dlq: dlq))
            case "resume": return OperatorStep(at: at, action: .resume(dlq: dlq))
            case "abort": return OperatorStep(at: at, action: .abort(dlq: dlq, reason: r.string("reason") ?? "aborted by the operator"))
            default: return nil
            }
        }
    }
}
