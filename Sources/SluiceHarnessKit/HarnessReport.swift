import Foundation

/// The outcome of one harness run: how many checks passed and failed, with the failures spelled
/// out so a red run says what broke and how to reproduce it.
public struct HarnessReport: Sendable, CustomStringConvertible {
    /// The harness that produced it, e.g. `kill-local`.
    public var name: String
    /// Checks that held.
    public var passed = 0
    /// Checks that did not hold.
    public var failed = 0
    /// One line per failed check (capped, so a systematic bug does not flood the output).
    public var failures: [String] = []
    /// Figures worth printing beside the summary (iterations killed mid-run, refusals, inputs per second…).
    public var figures: [(String, String)] = []

    /// How many failure lines are kept.
    public static let maxFailureLines = 50

    /// Creates an empty report.
    public init(name: String) { self.name = name }

    /// Counts one check; a failed one keeps `detail` (evaluated only on failure).
    public mutating func check(_ ok: Bool, _ detail: @autoclosure () -> String) {
        if ok {
            passed += 1
        } else {
            failed += 1
            if failures.count < Self.maxFailureLines { failures.append(detail()) }
        }
    }

    /// Records a failure outright.
    public mutating func fail(_ detail: String) { check(false, detail) }

    /// Adds a figure shown under the summary.
    public mutating func figure(_ label: String, _ value: CustomStringConvertible) { figures.append((label, value.description)) }

    /// Whether every check held.
    public var ok: Bool { failed == 0 }

    /// The one-line summary every harness ends with: `N passed, M failed`.
    public var summary: String { "\(name): \(passed) passed, \(failed) failed" }

    /// The lines above the summary: failures, then figures.
    public var details: [String] {
        var lines = failures.map { "FAIL \($0)" }
        if failed > failures.count { lines.append("… and \(failed - failures.count) more failures") }
        lines += figures.map { "  \($0.0): \($0.1)" }
        return lines
    }

    /// Failures, figures, then the summary line.
    public var description: String {
        (details + [summary]).joined(separator: "\n")
    }
}
