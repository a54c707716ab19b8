import Foundation
import SluiceCore
import SluiceRunbooks

/// Runs drill files headless, as `sluice drill run` and `sluice drill replay` do: each run on a
/// fresh store in a temporary folder that is removed afterwards.
public enum DrillRunner {
    /// Runs a loaded drill to its end.
    /// - Parameters:
    ///   - seed: overrides the drill's seed.
    ///   - trace: where the trace goes.
    ///   - liveSteps: operator actions to repeat from an earlier run's trace.
    /// - Returns: the report, and the trace bytes when `trace` is `.memory`.
    public static func run(_ loaded: LoadedDrill, seed: UInt64? = nil, trace: TraceSink = .discard,
                           liveSteps: [OperatorStep] = []) async throws -> (report: DrillReport, trace: [UInt8]) {
        let directory = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let session = try await DrillSession(loaded: loaded, seed: seed, directory: directory, trace: trace, liveSteps: liveSteps)
        let report = try await session.finish()
        let bytes = await session.traceBytes
        return (report, bytes)
    }

    /// Creates a new folder for one drill's store (see ``scratchFolder()``); the caller removes it.
    /// - Throws: ``SluiceError`` when it cannot be created.
    public static func makeScratchFolder() throws -> String {
        let directory = scratchFolder() + "sluice-drill-" + UUID().uuidString.prefix(8).lowercased()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SluiceError.badInput("cannot create a temporary folder for the drill's store (\(directory))", fix: "check TMPDIR (or SLUICE_DRILL_TMPDIR) and free space")
        }
        return directory
    }

    /// Where drill stores go: `SLUICE_DRILL_TMPDIR` when set, else `/dev/shm` when it is a
    /// writable folder, else the temporary folder. A drill's store is thrown away at the end and
    /// every store call commits a transaction; on a memory file system those commits cost no disk
    /// writes or syncs (about a third of a drill's time on ext4).
    static func scratchFolder() -> String {
        if let chosen = ProcessInfo.processInfo.environment["SLUICE_DRILL_TMPDIR"], !chosen.isEmpty {
            return chosen.hasSuffix("/") ? chosen : chosen + "/"
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isFolder), isFolder.boolValue,
           FileManager.default.isWritableFile(atPath: "/dev/shm") {
            return "/dev/shm/"
        }
        return NSTemporaryDirectory()
    }

    /// Loads and runs a drill file.
    public static func run(path: String, seed: UInt64? = nil, trace: TraceSink = .discard) async throws -> (report: DrillReport, trace: [UInt8]) {
        try await run(DrillParser.load(path: path), seed: seed, trace: trace)
    }

    /// The drill (and its runbooks) a trace was made from, as recorded in its header.
    /// - Throws: ``SluiceError`` when the header is missing or its drill no longer parses.
    public static func loaded(from records: [TraceRecord]) throws -> (LoadedDrill, seed: UInt64) {
        guard let header = records.first, header.type == "drill", let source = header.string("source"),
              let seedText = header.string("seed"), let seed = UInt64(seedText)
        else {
            throw SluiceError.badInput("the trace has no usable drill header", fix: "pass a trace written by 'sluice drill run --trace FILE'")
        }
        let path = header.string("path") ?? "drill.yaml"
        var runbooks: [Runbook] = []
        var sources: [String: String] = [:]
        // Runbooks the drill's steps use come first; ones a console redrive used, later.
        for record in records where record.type == "runbook" {
            guard let text = record.string("source"), let id = record.string("id") else {
                throw SluiceError.badInput("the trace does not hold the text of runbook '\(record.string("id") ?? "?")'", fix: "run the drill again to record a complete trace")
            }
            runbooks.append(try RunbookParser.parse(text: text, path: record.string("path") ?? "\(id).md"))
            sources[id] = text
        }
        var loaded = try DrillParser.parse(text: source, path: path, runbooks: runbooks)
        for runbook in runbooks where loaded.runbook(runbook.id) == nil { loaded.runbooks.append(runbook) }
        loaded.runbookSources = sources
        return (loaded, seed)
    }

    /// What a replay found.
    public struct Replay: Sendable {
        /// The report of the re-execution.
        public var report: DrillReport
        /// The end state digest the trace recorded.
        public var recordedEndDigest: String?
        /// Whether the end state is the same.
        public var endStateMatches: Bool
        /// The first trace line that differs (1-based), nil when every line is the same.
        public var firstDifference: Int?
        /// The differing lines, recorded then replayed, when there is a difference.
        public var difference: (recorded: String, replayed: String)?
    }

    /// Re-executes the drill a trace records (same drill text, runbooks, seed and live operator
    /// actions) and compares the outcome with the trace.
    public static func replay(path: String) async throws -> Replay {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SluiceError.notFound("trace '\(path)' does not exist or cannot be read", fix: "pass a file written by 'sluice drill run --trace FILE'")
        }
        let recorded = Array(data)
        let records = try TraceReader.parse(recorded, path: path)
        let (loaded, seed) = try loaded(from: records)
        let (report, replayed) = try await run(loaded, seed: seed, trace: .memory, liveSteps: TraceReader.liveSteps(in: records))
        let recordedDigest = records.last(where: { $0.type == "end" })?.string("end_digest")
        var result = Replay(report: report, recordedEndDigest: recordedDigest, endStateMatches: recordedDigest == report.endDigest)
        let a = recorded.split(separator: 10, omittingEmptySubsequences: false)
        let b = replayed.split(separator: 10, omittingEmptySubsequences: false)
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : [], y = i < b.count ? b[i] : []
            if x != y {
                result.firstDifference = i + 1
                result.difference = (String(decoding: x, as: UTF8.self), String(decoding: y, as: UTF8.self))
                break
            }
        }
        return result
    }
}
