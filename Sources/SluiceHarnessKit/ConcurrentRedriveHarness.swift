import Foundation
import SluiceCore
import SluiceStore

/// `concurrent`: two `sluice redrive` processes of the same DLQ started at the same instant.
/// No message may be moved twice; one of them must be refused (the DLQ's lease) or find the
/// other's items gone. Leftover jobs are then resumed and must move nothing more.
public struct ConcurrentRedriveHarness: Sendable {
    /// Iterations to run.
    public var iterations: Int
    /// Progress lines go here.
    public var log: @Sendable (String) -> Void

    /// Creates a harness.
    public init(iterations: Int, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.iterations = iterations
        self.log = log
    }

    /// Runs every iteration and returns the report.
    public func run() -> HarnessReport {
        var report = HarnessReport(name: "concurrent")
        var refused = 0, bothRan = 0, oneFoundGone = 0
        for i in 0..<iterations {
            let label = "iteration \(i)"
            do {
                let scenario = try LocalRedriveScenario(counts: ["Timeout": 60, "Poison": 10, "Other": 10], jitter: "0ms..5ms")
                defer { scenario.remove() }
                let invariant = LocalInvariant(scenario: scenario)
                let a = try SluiceRun.start(scenario.redriveArguments)
                let b = try SluiceRun.start(scenario.redriveArguments)
                let ra = a.wait(), rb = b.wait()
                for (name, r) in [("a", ra), ("b", rb)] {
                    report.check(!r.signalled, "\(label): redrive \(name) crashed with signal \(r.status): \(r.stderr.suffix(400))")
                    // 0: it ran; 2: refused (the lease: "is being redriven by job …"), with a reason.
                    report.check(r.status == 0 || (r.status == 2 && r.stderr.contains("redriven by")),
                                 "\(label): redrive \(name) exited \(r.status): \(r.stderr.suffix(400))")
                }
                if ra.status == 2 || rb.status == 2 { refused += 1 }
                if ra.status == 0 && rb.status == 0 { bothRan += 1 }
                guard var census = invariant.check("\(label) after both", into: &report) else { continue }
                if census.jobs.contains(where: { $0.progress.gone > 0 }) { oneFoundGone += 1 }
                report.check(ra.status == 0 || rb.status == 0, "\(label): neither redrive ran (\(ra.status), \(rb.status))")
                // Jobs a refused process left behind: resuming them finds everything gone.
                for job in census.jobs where job.progress.state.isResumable {
                    let r = try SluiceRun.run(scenario.resumeArguments(job.plan.jobId))
                    report.check(r.status == 0, "\(label): resuming the refused job \(job.plan.jobId) exited \(r.status): \(r.stderr.suffix(300))")
                }
                if let after = invariant.check("\(label) after resuming leftovers", into: &report) { census = after }
                for job in census.jobs {
                    report.check(job.progress.state == .completed, "\(label): job \(job.plan.jobId) ended \(job.progress.state.rawValue)")
                }
                invariant.checkComplete(census, "\(label) at the end", into: &report)
                log("\(label): exits \(ra.status)/\(rb.status), jobs \(census.jobs.map { "\($0.progress.moved)m+\($0.progress.discarded)d+\($0.progress.gone)g" })")
            } catch {
                report.fail("\(label): \(error)")
            }
        }
        report.figure("iterations", iterations)
        report.figure("one refused by the DLQ lease", refused)
        report.figure("both ran (the second found items gone or nothing left)", bothRan)
        report.figure("a job found items gone", oneFoundGone)
        return report
    }
}
