import ArgumentParser
import SluiceCore
import SluiceDrills
import SluiceRunbooks

/// `sluice runbook`: work with runbook files.
struct RunbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Work with runbook files (Markdown with YAML front matter).",
        subcommands: [RunbookCheckCommand.self]
    )
}

/// `sluice runbook check [PATH...]`: validates runbooks and reports `file:line:column` problems.
struct RunbookCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate runbooks: every problem as file:line:column, then a summary.",
        discussion: """
        A folder is checked as a runbook library: its *.md files (README.md excepted) are runbooks, \
        its drills/*.yaml are drills. Exit code 0 when there is no error, 1 when any file has an \
        error, 2 when a path does not exist.
        """
    )

    @Argument(help: ArgumentHelp("Runbook files or folders (default: runbooks).", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        let check = RunbookCheck(drillValidator: { DrillParser.validate(path: $0) })
        let report = try check.run(paths: paths.isEmpty ? ["runbooks"] : paths)
        for line in report.lines { print(line) }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
