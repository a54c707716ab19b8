import ArgumentParser
import Foundation
import SluiceCore
import SluiceDrills

/// `sluice drill`: run GameDay drills headless and replay their traces.
struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Run a drill (a deterministic GameDay scenario in virtual time) or replay its trace.",
        subcommands: [DrillRunCommand.self, DrillReplayCommand.self]
    )
}

/// `sluice drill run FILE [--seed N] [--trace OUT] [--json]`.
struct DrillRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a drill on a fresh temporary store and check its expectations.",
        discussion: """
        The same file and seed give the same run, byte for byte: write the trace with --trace and \
        replay it with 'sluice drill replay'. Exit code 0 when every expectation holds, 1 when one \
        does not (the report says which), 2 when the drill file is invalid.
        """
    )

    @Argument(help: ArgumentHelp("The drill file, e.g. runbooks/drills/downstream-outage.yaml.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Seed for every random choice (default: the drill's 'seed').", valueName: "n"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("Write the trace (JSON Lines) to this file.", valueName: "out"))
    var trace: String?

    @OptionGroup var output: JSONFlag

    func run() async throws {
        let loaded = try DrillParser.load(path: file)
        for warning in loaded.warnings { Terminal.note(warning.description) }
        let started = Date()
        let (report, _) = try await DrillRunner.run(loaded, seed: seed, trace: trace.map { .file($0) } ?? .discard)
        let took = Date().timeIntervalSince(started)
        if output.json {
            JSONOutput.print(report)
        } else {
            print(report.text)
        }
        Terminal.note("\(TimeSpan(millis: report.durationMs)) simulated in \(String(format: "%.2f", took)) s" + (trace.map { "; trace written to \($0)" } ?? ""))
        if !report.passed { throw ExitCode(1) }
    }
}

/// `sluice drill replay TRACE [--check]`.
struct DrillReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-execute the drill a trace recorded and compare the end state.",
        discussion: """
        The drill text, its runbooks, the seed and any operator actions taken live are read from the \
        trace itself, so the files may have changed since. Exit code 1 when the end state differs \
        (with --check, also when any trace line differs).
        """
    )

    @Argument(help: ArgumentHelp("A trace written by 'sluice drill run --trace'.", valueName: "trace"))
    var trace: String

    @Flag(help: "Also require every trace line to be identical, and show the first one that is not.")
    var check = false

    func run() async throws {
        let replay = try await DrillRunner.replay(path: trace)
        let report = replay.report
        print("replayed drill \(report.drill) (seed \(report.seed)): \(report.passed ? "expectations held" : "some expectations failed")")
        if replay.endStateMatches {
            print("end state matches the trace (digest \(report.endDigest))")
        } else {
            print("end state DIFFERS: the trace recorded \(replay.recordedEndDigest ?? "no end state"), the replay reached \(report.endDigest)")
        }
        if let line = replay.firstDifference, let difference = replay.difference {
            if check || !replay.endStateMatches {
                print("first differing trace line: \(line)")
                print("  recorded: \(difference.recorded.prefix(300))")
                print("  replayed: \(difference.replayed.prefix(300))")
            }
        } else {
            print("every trace line is identical (\(report.traceLines) lines)")
        }
        if !replay.endStateMatches || (check && replay.firstDifference != nil) { throw ExitCode(1) }
    }
}
