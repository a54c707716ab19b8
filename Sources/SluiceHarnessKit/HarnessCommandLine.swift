import Foundation
import Synchronization

/// `sluice-harness SUBCOMMAND [--iterations N] [--seed N] [--quiet]`: plain argument handling
/// for the reliability harnesses. Each prints its failures, its figures and a last line
/// `NAME: N passed, M failed`, and exits 1 on any failure (2 on bad arguments).
public enum HarnessCommandLine {
    static let usage = """
    usage: sluice-harness SUBCOMMAND [--iterations N] [--seed N] [--quiet]
      kill-local   SIGKILL local redrives of the real sluice binary at random instants (default 200)
      kill-sqs     the same against moto through the fault proxy (default 100)
      concurrent   two sluice redrives of one DLQ started at once (default 50)
      corrupt      truncated and bit-flipped store files and WALs fed to 'sluice status'
      fuzz-parse   mutated runbooks, drills, durations and bodies fed to the parsers (default 100000)
    The sluice binary is the one next to sluice-harness, or $SLUICE_BINARY.
    """

    /// Runs the command line; returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first else {
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            return 2
        }
        var iterations: Int? = nil
        var seed: UInt64 = 20261123
        var quiet = false
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            switch flag {
            case "--iterations":
                guard let text = rest.popFirst(), let n = Int(text), n >= 0 else { return bad("--iterations needs a whole number ≥ 0, e.g. --iterations 200") }
                iterations = n
            case "--seed":
                guard let text = rest.popFirst(), let n = UInt64(text) else { return bad("--seed needs a whole number, e.g. --seed 42") }
                seed = n
            case "--quiet":
                quiet = true
            case "-h", "--help":
                print(usage)
                return 0
            default:
                return bad("unknown option '\(flag)'")
            }
        }
        let log: @Sendable (String) -> Void
        if quiet {
            log = { _ in }
        } else {
            log = { line in
                print(line)
                fflush(nil)
            }
        }
        let started = Date()
        let report: HarnessReport
        switch command {
        case "concurrent":
            report = ConcurrentRedriveHarness(iterations: iterations ?? 50, log: log).run()
        case "corrupt":
            report = CorruptionHarness(casesPerKind: iterations ?? 60, seed: seed, log: log).run()
        case "fuzz-parse":
            guard let root = ParseFuzzer.Corpus.findRoot() else { return bad("cannot find runbooks/drills: run from the package root or set SLUICE_ROOT") }
            do {
                let crashFile = FileManager.default.currentDirectoryPath + "/fuzz-parse-crash.bin"
                report = ParseFuzzer(iterations: iterations ?? 100_000, seed: seed, corpus: try ParseFuzzer.Corpus(root: root), crashFile: crashFile).run()
            } catch {
                return bad("\(error)")
            }
        case "kill-sqs":
            let harness = SQSKillHarness(iterations: iterations ?? 100, seed: seed, log: log)
            report = blockingRun { await harness.run() }
        case "kill-local":
            report = LocalKillHarness(iterations: iterations ?? 200, seed: seed, log: log).run()
        default:
            return bad("unknown subcommand '\(command)'")
        }
        for line in report.details { print(line) }
        print(String(format: "  time: %.1f s", Date().timeIntervalSince(started)))
        print(report.summary)
        return report.ok ? 0 : 1
    }

    /// Runs async harness code from this synchronous entry point.
    static func blockingRun(_ body: @escaping @Sendable () async -> HarnessReport) -> HarnessReport {
        let result = Mutex<HarnessReport?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let report = await body()
            result.withLock { $0 = report }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }

    private static func bad(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data("sluice-harness: \(message)\n\(usage)\n".utf8))
        return 2
    }
}
