import Foundation
import SluiceCore
import SluiceRunbooks
import Yams

/// A drill ready to run: the scenario, the runbooks its operator steps use, and the text it was
/// read from (which goes into the trace, so a replay does not depend on the files any more).
public struct LoadedDrill: Sendable {
    public var drill: Drill
    /// The runbooks operator steps name, sorted by id.
    public var runbooks: [Runbook]
    /// The drill file's text.
    public var source: String
    /// Each runbook's file text by id (for the trace), when it could be read.
    public var runbookSources: [String: String]
    /// Warnings found while reading the file (the drill was accepted).
    public var warnings: [RunbookDiagnostic] = []

    /// Creates a loaded drill.
    public init(drill: Drill, runbooks: [Runbook], source: String, runbookSources: [String: String] = [:]) {
        self.drill = drill
        self.runbooks = runbooks.sorted { $0.id < $1.id }
        self.source = source
        self.runbookSources = runbookSources
    }

    /// The runbook with this id.
    public func runbook(_ id: String) -> Runbook? { runbooks.first { $0.id == id } }
}

/// Everything learnt from one drill file: the drill when it has no errors, and every diagnostic.
public struct DrillParseResult: Sendable {
    /// The drill; nil when any error was found (an invalid drill is refused as a whole).
    public var loaded: LoadedDrill?
    /// Errors and warnings in file order.
    public var diagnostics: [RunbookDiagnostic]

    /// The errors alone.
    public var errors: [RunbookDiagnostic] { diagnostics.filter(\.isError) }
}

/// Reads drill files (`runbooks/drills/*.yaml`) and checks them against their runbooks.
///
/// Problems are reported as `file:line:column: error: what — fix`, like runbooks. Keys left
/// out take these defaults: `seed` 1, `sample_every` 10s, `default_alarms` true, `runbooks` the
/// folder above `drills/` (else the drill's own folder).
public enum DrillParser {
    static let topKeys = ["id", "title", "description", "duration", "seed", "sample_every", "default_alarms", "runbooks",
                          "queues", "producers", "workers", "faults", "alarms", "operator", "expect"]

    /// Reads a drill file, refusing it whole when it has any error.
    /// - Throws: ``SluiceError`` (bad input) whose message is the first error's `file:line:column`;
    ///   not found when the file is missing.
    public static func load(path: String) throws -> LoadedDrill {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SluiceError.notFound("drill '\(path)' does not exist", fix: "pass the path of a drill file, e.g. runbooks/drills/downstream-outage.yaml")
        }
        return try result(analyze(path: path))
    }

    /// Parses drill text, refusing it whole when it has any error.
    /// - Parameter runbooks: the runbooks to resolve steps against; nil reads the drill's runbook folder.
    public static func parse(text: String, path: String, runbooks: [Runbook]? = nil) throws -> LoadedDrill {
        try result(analyze(text: text, path: path, runbooks: runbooks))
    }

    /// Every diagnostic of a drill file: what `sluice runbook check` prints for it.
    public static func validate(path: String) -> [RunbookDiagnostic] {
        analyze(path: path).diagnostics
    }

    private static func result(_ parsed: DrillParseResult) throws -> LoadedDrill {
        if let loaded = parsed.loaded { return loaded }
        throw RunbookDiagnostic.refusal(parsed.diagnostics) ?? SluiceError(.internalError, "drill refused without a diagnostic")
    }

    /// Reads and checks a drill file without throwing.
    public static func analyze(path: String) -> DrillParseResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            return failure(path, "cannot read the drill file", fix: "check that it exists and is readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return failure(path, "the drill file is not UTF-8 text", fix: "save it as UTF-8")
        }
        return analyze(text: text, path: path)
    }

    /// Checks drill text without throwing.
    /// - Parameter runbooks: the runbooks to resolve steps against; nil reads the drill's runbook folder.
    public static func analyze(text: String, path: String, runbooks: [Runbook]? = nil) -> DrillParseResult {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            return DrillParseResult(loaded: nil, diagnostics: [yamlDiagnostic(error, file: path)])
        }
        guard let root else { return failure(path, "the drill file is empty", fix: "start with 'id:', 'duration:' and 'queues:'") }
        let reader = DrillReader(file: path)
        guard let top = reader.mapping(root, "the drill", example: "id: my-drill\nduration: 30m\nqueues: …") else {
            return DrillParseResult(loaded: nil, diagnostics: reader.diagnostics)
        }
        reader.checkKeys(top, allowed: topKeys, in: "the drill")
        let v = { (key: String) in reader.value(top, key) }

        let id = v("id").flatMap { reader.name($0, "id") }
        if v("id") == nil { reader.error(root, "the drill has no 'id'", fix: "add 'id: my-drill' (kebab-case)") }
        let duration = v("duration").flatMap { reader.span($0, "duration", min: .seconds(10), max: .days(7)) }
        if v("duration") == nil { reader.error(root, "the drill has no 'duration'", fix: "add 'duration: 30m' (how much virtual time it covers)") }
        var drill = Drill(id: id ?? "?", sourcePath: path, duration: duration ?? .minutes(1), queues: [])
        drill.title = v("title").flatMap { reader.string($0, "title") } ?? drill.id
        if let n = v("description") { _ = reader.string(n, "description") }
        if let n = v("seed") {
            if let s = n.int, s >= 0 { drill.seed = UInt64(s) } else { reader.error(n, "seed must be a whole number of 0 or more", fix: "e.g. seed: 7") }
        }
        if let n = v("sample_every") { drill.sampleInterval = reader.span(n, "sample_every", min: .seconds(1), max: .minutes(5)) ?? drill.sampleInterval }
        if let n = v("default_alarms") { drill.defaultAlarms = reader.bool(n, "default_alarms") ?? true }
        let folder = (path as NSString).deletingLastPathComponent
        drill.runbookDirectory = defaultRunbookDirectory(forDrillIn: folder)
        if let n = v("runbooks"), let dir = reader.string(n, "runbooks") {
            drill.runbookDirectory = dir.hasPrefix("/") ? dir : (folder.isEmpty ? dir : folder + "/" + dir)
        }
        if let n = v("queues") { drill.queues = reader.queues(n) } else { reader.error(root, "the drill has no 'queues'", fix: "declare the queues it runs on under 'queues:'") }
        if let n = v("producers") { drill.producers = reader.producers(n) }
        if let n = v("workers") { drill.workers = reader.workers(n) }
        if let n = v("faults") { drill.faults = reader.faults(n) }
        let alarms = v("alarms").map { reader.alarms($0) } ?? []
        drill.alarms = alarms.map(\.0)
        let steps = v("operator").map { reader.steps($0) } ?? []
        drill.steps = steps.map(\.0).sorted { $0.at < $1.at }
        let expectations = v("expect").map { reader.expectations($0) } ?? []
        drill.expectations = expectations.map(\.0)

        let checker = DrillCrossCheck(reader: reader, drill: drill, root: root, top: top)
        checker.checkTopology(alarms: alarms)
        let runbooks = checker.resolveRunbooks(steps: steps, given: runbooks)
        checker.checkExpectations(expectations, alarmNames: Set(drill.allAlarms.map(\.name)))

        let diagnostics = RunbookDiagnostic.sortedByPosition(reader.diagnostics)
        guard !reader.hasErrors else { return DrillParseResult(loaded: nil, diagnostics: diagnostics) }
        var sources: [String: String] = [:]
        for runbook in runbooks {
            if let data = FileManager.default.contents(atPath: runbook.sourcePath), let text = String(data: data, encoding: .utf8) {
                sources[runbook.id] = text
            }
        }
        var loaded = LoadedDrill(drill: drill, runbooks: runbooks, source: text, runbookSources: sources)
        loaded.warnings = diagnostics.filter { !$0.isError }
        return DrillParseResult(loaded: loaded, diagnostics: diagnostics)
    }

    /// `X` for a drill in `X/drills/`, else the drill's own folder.
    static func defaultRunbookDirectory(forDrillIn folder: String) -> String {
        let parent = (folder as NSString).deletingLastPathComponent
        if (folder as NSString).lastPathComponent == "drills" { return parent.isEmpty ? "." : parent }
        return folder.isEmpty ? "." : folder
    }

    private static func failure(_ path: String, _ message: String, fix: String) -> DrillParseResult {
        DrillParseResult(loaded: nil, diagnostics: [RunbookDiagnostic(file: path, line: 1, column: 1, severity: .error, message: message, fix: fix)])
    }

    /// A YAML syntax error at the position libYAML reported.
    static func yamlDiagnostic(_ error: any Error, file: String) -> RunbookDiagnostic {
        func make(_ mark: Mark?, _ message: String, _ fix: String) -> RunbookDiagnostic {
            RunbookDiagnostic(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, severity: .error, message: message, fix: fix)
        }
        guard let error = error as? YamlError else { return make(nil, "the drill file could not be read: \(error)", "check that it is valid YAML") }
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            let fix = problem.contains("tab") ? "indent with spaces, not tabs"
                : problem.contains("mapping values") ? "quote a value that contains ': '"
                : problem.contains("alias") ? "quote values that start with '*', e.g. \"tenants-*\""
                : "check the indentation and quoting of this line"
            return make(mark, "YAML syntax error: \(problem)", fix)
        case let .duplicatedKeysInMapping(duplicates, context):
            return make(context.mark, "duplicate key '\(duplicates.first ?? "?")' in this mapping", "keep one of them")
        default:
            return make(nil, "the drill file could not be read: \(error)", "check that it is valid YAML")
        }
    }
}
