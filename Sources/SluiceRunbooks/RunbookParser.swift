import Foundation
import SluiceCore
import Yams

/// Everything learnt from one runbook file: the runbook when it has no errors, and every
/// diagnostic (errors and warnings) sorted by position.
public struct RunbookParseResult: Sendable {
    /// The runbook; nil when any error was found (an invalid runbook is refused as a whole).
    public var runbook: Runbook?
    /// Every problem, errors and warnings, in file order.
    public var diagnostics: [RunbookDiagnostic]
    /// The `id` as written, even when the runbook is invalid, for duplicate-id checks.
    public var id: String?
    /// Where the `id` value is, as (line, column).
    public var idPosition: (line: Int, column: Int)?

    /// The errors alone.
    public var errors: [RunbookDiagnostic] { diagnostics.filter(\.isError) }
}

/// Reads runbook files: Markdown with YAML front matter between a first `---` line and the next.
///
/// Keys not given take these defaults: `batch.size` 10, `batch.jitter` 200ms..2s,
/// `batch.max_rate` 10/s, `batch.max_messages` none, `batch.retry_delay` 5m, no filter, no guards,
/// `require.root_cause_ack` false, `title` the first Markdown heading (else the id).
public enum RunbookParser {
    /// Reads a runbook file, refusing it whole when it has any error.
    ///
    /// - Returns: the runbook, with its warnings in ``Runbook/warnings``.
    /// - Throws: ``SluiceError`` (bad input) whose message is the first error's
    ///   `file:line:column: what — fix` and how many more there are; not found when the file is missing.
    public static func load(path: String) throws -> Runbook {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SluiceError.notFound("runbook '\(path)' does not exist", fix: "pass the path of a runbook file, e.g. runbooks/downstream-timeout.md")
        }
        return try result(analyze(path: path))
    }

    /// Parses runbook text, refusing it whole when it has any error.
    ///
    /// - Parameter path: the file name used in diagnostics.
    /// - Throws: ``SluiceError`` (bad input), as ``load(path:)``.
    public static func parse(text: String, path: String) throws -> Runbook {
        try result(analyze(text: text, path: path))
    }

    private static func result(_ parsed: RunbookParseResult) throws -> Runbook {
        if let runbook = parsed.runbook { return runbook }
        throw RunbookDiagnostic.refusal(parsed.diagnostics)
            ?? SluiceError(.internalError, "runbook refused without a diagnostic")
    }

    /// Reads and checks a runbook file without throwing: every diagnostic is in the result.
    public static func analyze(path: String) -> RunbookParseResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            return failure(path, line: 1, "cannot read the file", fix: "check that it exists and is readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return failure(path, line: 1, "the file is not UTF-8 text", fix: "save it as UTF-8")
        }
        return analyze(text: text, path: path)
    }

    /// Checks runbook text without throwing: every diagnostic is in the result.
    ///
    /// - Parameter path: the file name used in diagnostics and as ``Runbook/sourcePath``.
    public static func analyze(text: String, path: String) -> RunbookParseResult {
        let front: FrontMatter
        switch FrontMatter.split(text) {
        case let .success(split): front = split
        case let .failure(problem): return failure(path, line: problem.line, problem.message, fix: problem.fix)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: front.yaml)
        } catch {
            let diagnostic = YamlErrorDiagnostic.make(error, yaml: front.yaml, file: path, lineOffset: front.lineOffset)
            return RunbookParseResult(runbook: nil, diagnostics: [diagnostic])
        }
        guard let root else {
            return failure(path, line: 1, "the front matter is empty", fix: "add at least 'id:', 'dlq:' and 'strategy:' between the '---' lines")
        }

        let reader = RunbookReader(file: path, lineOffset: front.lineOffset, closingLine: front.closingLine)
        let draft = reader.readDraft(root)
        reader.crossCheck(draft)
        var result = RunbookParseResult(runbook: nil, diagnostics: RunbookDiagnostic.sortedByPosition(reader.diagnostics))
        if case let .mapping(mapping) = root, let idNode = mapping["id"], let id = idNode.string {
            result.id = id
            result.idPosition = reader.position(idNode)
        }
        guard !reader.hasErrors, let id = draft.id else { return result }
        result.runbook = Runbook(
            id: id,
            title: draft.title ?? front.firstHeading ?? id,
            sourcePath: path,
            dlqPatterns: draft.dlqPatterns,
            filter: draft.filter,
            batch: draft.batch,
            strategies: draft.strategies,
            destination: draft.destination,
            retryDelay: draft.retryDelay,
            guards: draft.guards,
            requireRootCauseAck: draft.requireRootCauseAck,
            prose: front.prose,
            warnings: result.diagnostics.filter { !$0.isError }
        )
        return result
    }

    private static func failure(_ path: String, line: Int, _ message: String, fix: String) -> RunbookParseResult {
        RunbookParseResult(runbook: nil, diagnostics: [
            RunbookDiagnostic(file: path, line: line, column: 1, severity: .error, message: message, fix: fix),
        ])
    }
}

extension RunbookReader {
    /// Warnings about settings that contradict each other without being wrong on their own.
    func crossCheck(_ draft: RunbookDraft) {
        for (type, node) in draft.errorTypeNodes where draft.strategies[type] == nil {
            warning(node, "error type '\(type)' is selected by filter.error_types but has no strategy, so it will be skipped",
                    fix: "add '\(type): requeue' (or another strategy) under 'strategy:', or drop it from error_types")
        }
        if !draft.filter.errorTypes.isEmpty {
            for (type, node) in draft.strategyNodes where !draft.filter.errorTypes.contains(type) {
                warning(node, "the strategy for '\(type)' never applies: filter.error_types does not select it",
                        fix: "add '\(type)' to filter.error_types, or remove this line")
            }
        }
        if let node = draft.retryDelayNode, !draft.strategies.values.contains(.retryLater) {
            warning(node, "batch.retry_delay is set but no error type uses retry-later",
                    fix: "give an error type the strategy 'retry-later', or remove retry_delay")
        }
    }
}
