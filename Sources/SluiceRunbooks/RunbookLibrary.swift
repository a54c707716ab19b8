import Foundation
import SluiceCore

/// The valid runbooks of a folder, for the console and the command line to choose from.
///
/// A folder holds runbooks as `*.md` directly inside it (`README.md` excepted); drills live in
/// its `drills/` subfolder and are not runbooks. Invalid runbooks are left out, and their
/// diagnostics kept so a screen can say why a runbook is missing.
public struct RunbookLibrary: Sendable {
    /// The folder read.
    public var directory: String
    /// Valid runbooks, sorted by id. When two files share an id, the first by file name wins.
    public var runbooks: [Runbook]
    /// Errors of files that were refused (and duplicate ids), in file order.
    public var rejected: [RunbookDiagnostic]

    /// Creates a library from runbooks already read.
    public init(directory: String = "", runbooks: [Runbook], rejected: [RunbookDiagnostic] = []) {
        self.directory = directory
        self.runbooks = runbooks.sorted { $0.id < $1.id }
        self.rejected = rejected
    }

    /// Reads every runbook of a folder.
    ///
    /// - Throws: ``SluiceError`` (not found) when the folder does not exist.
    public static func load(directory: String) throws -> RunbookLibrary {
        guard RunbookFiles.isDirectory(directory) else {
            throw SluiceError.notFound("runbook folder '\(directory)' does not exist",
                                       fix: "create it, or point Sluice at the folder that holds your runbooks")
        }
        var runbooks: [Runbook] = []
        var rejected: [RunbookDiagnostic] = []
        for path in RunbookFiles.list(directory: directory).runbooks {
            let result = RunbookParser.analyze(path: path)
            guard let runbook = result.runbook else {
                rejected += result.errors
                continue
            }
            if let first = runbooks.first(where: { $0.id == runbook.id }) {
                let at = result.idPosition ?? (1, 1)
                rejected.append(RunbookDiagnostic(file: path, line: at.line, column: at.column, severity: .error,
                                                  message: "runbook id '\(runbook.id)' is already used by \(first.sourcePath)",
                                                  fix: "give each runbook its own id"))
                continue
            }
            runbooks.append(runbook)
        }
        return RunbookLibrary(directory: directory, runbooks: runbooks, rejected: rejected)
    }

    /// The runbook with this id.
    public func runbook(id: String) -> Runbook? {
        runbooks.first { $0.id == id }
    }

    /// The runbooks whose `dlq` globs match a DLQ's name, sorted by id.
    public func runbooks(for dlq: String) -> [Runbook] {
        runbooks.filter { $0.appliesTo(queue: dlq) }
    }
}
