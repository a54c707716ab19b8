import Foundation
import SluiceCore

/// What `sluice runbook check` found across its paths.
public struct RunbookCheckReport: Sendable {
    /// Runbook files read.
    public var runbookCount: Int
    /// Drill files handed to the drill validator.
    public var drillCount: Int
    /// Drill files found in `drills/` folders but not checked, because no drill validator is set.
    public var skippedDrillCount: Int
    /// Every diagnostic, sorted by file and position.
    public var diagnostics: [RunbookDiagnostic]

    /// Number of errors.
    public var errorCount: Int { diagnostics.filter(\.isError).count }
    /// Number of warnings.
    public var warningCount: Int { diagnostics.count - errorCount }
    /// 0 when nothing is wrong, 1 when any file has an error (a check failed).
    public var exitCode: Int32 { errorCount == 0 ? 0 : 1 }

    /// `3 runbooks checked, 0 errors, 1 warning` (plus drills when there were any).
    public var summary: String {
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        var checked = count(runbookCount, "runbook")
        if drillCount > 0 { checked += " and \(count(drillCount, "drill"))" }
        var line = "\(checked) checked, \(count(errorCount, "error")), \(count(warningCount, "warning"))"
        if skippedDrillCount > 0 { line += " (\(count(skippedDrillCount, "drill")) not checked here)" }
        return line
    }

    /// The lines the command prints: every diagnostic, then the summary.
    public var lines: [String] { diagnostics.map(\.description) + [summary] }
}

/// Validates runbook files and folders, as `sluice runbook check [PATH...]` does.
///
/// A file path is checked as a runbook (`.md`) or a drill (`.yaml`, `.yml`); a folder is checked
/// as described in ``RunbookLibrary``: its `*.md` runbooks (not `README.md`) and its
/// `drills/*.yaml`. Two runbooks with the same `id` are an error.
public struct RunbookCheck: Sendable {
    /// Validates one drill file; nil skips drills (they are counted as not checked).
    public var drillValidator: (@Sendable (String) -> [RunbookDiagnostic])?

    /// Creates a checker.
    /// - Parameter drillValidator: validates a drill file at a path; drills are skipped without one.
    public init(drillValidator: (@Sendable (String) -> [RunbookDiagnostic])? = nil) {
        self.drillValidator = drillValidator
    }

    /// Checks paths, failing before anything is read when one of them does not exist.
    ///
    /// - Throws: ``SluiceError`` (not found, exit code 2) naming the first missing path.
    public func run(paths: [String]) throws -> RunbookCheckReport {
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw SluiceError.notFound("runbook path '\(path)' does not exist",
                                       fix: "pass runbook files or folders; with no path, 'runbooks' is checked")
        }
        var report = RunbookCheckReport(runbookCount: 0, drillCount: 0, skippedDrillCount: 0, diagnostics: [])
        var runbookPaths: [String] = [], drillPaths: [String] = []
        for path in paths {
            if RunbookFiles.isDirectory(path) {
                let listing = RunbookFiles.list(directory: path)
                runbookPaths += listing.runbooks
                drillPaths += listing.drills
            } else if RunbookFiles.isDrill(path) {
                drillPaths.append(path)
                if drillValidator == nil {
                    report.diagnostics.append(RunbookDiagnostic(
                        file: path, line: 1, column: 1, severity: .warning,
                        message: "drill files are not validated by this check",
                        fix: "run 'sluice drill run \(path)' to exercise it"))
                }
            } else {
                runbookPaths.append(path)
            }
        }
        var seen = Set<String>()
        runbookPaths = runbookPaths.filter { seen.insert($0).inserted }
        drillPaths = drillPaths.filter { seen.insert($0).inserted }

        var firstById: [String: (file: String, line: Int, column: Int)] = [:]
        for path in runbookPaths {
            let result = RunbookParser.analyze(path: path)
            report.runbookCount += 1
            report.diagnostics += result.diagnostics
            guard let id = result.id, let at = result.idPosition else { continue }
            if let first = firstById[id] {
                report.diagnostics.append(RunbookDiagnostic(
                    file: path, line: at.line, column: at.column, severity: .error,
                    message: "runbook id '\(id)' is already used by \(first.file):\(first.line):\(first.column)",
                    fix: "give each runbook its own id"))
            } else {
                firstById[id] = (path, at.line, at.column)
            }
        }
        if let drillValidator {
            for path in drillPaths {
                report.drillCount += 1
                report.diagnostics += drillValidator(path)
            }
        } else {
            report.skippedDrillCount = drillPaths.count
        }
        report.diagnostics = RunbookDiagnostic.sortedByPosition(report.diagnostics)
        return report
    }

    /// Checks paths and returns every diagnostic; a missing path becomes an error diagnostic.
    public static func check(paths: [String]) -> [RunbookDiagnostic] {
        do {
            return try RunbookCheck().run(paths: paths).diagnostics
        } catch {
            let missing = paths.first { !FileManager.default.fileExists(atPath: $0) } ?? paths.first ?? "runbooks"
            let message = (error as? SluiceError)?.message ?? "\(error)"
            return [RunbookDiagnostic(file: missing, line: 1, column: 1, severity: .error, message: message,
                                      fix: "pass runbook files or folders that exist")]
        }
    }
}
