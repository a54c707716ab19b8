import Foundation
import SluiceCore
import SluiceStore

/// `kill-local`: SIGKILL a real `sluice redrive` of the embedded store at random instants, check
/// the invariant, resume (sometimes killing the resume too), and check that the job completes
/// with every message moved, discarded or left exactly once.
public struct LocalKillHarness: Sendable {
    /// Iterations to run.
    public var iterations: Int
    /// Seeds the random kill instants (same seed, same delays).
    public var seed: UInt64
    /// Progress lines (one per iteration) go here.
    public var log: @Sendable (String) -> Void

    /// Creates a harness.
    public init(iterations: Int, seed: UInt64 = 20261123, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.iterations = iterations
        self.seed = seed
        self.log = log
    }

    /// Runs every iteration and returns the report.
    public func run() -> HarnessReport {
        var report = HarnessReport(name: "kill-local")
        var rng = SplitMix64(seed: seed)
        var landed = (beforePlan: 0, midJob: 0, afterEnd: 0, resumeKilled: 0)
        // One unkilled run first: the kill windows are drawn over its length. Four kills in five
        // are timed from the job's "started" line (the moving phase, where kills matter most),
        // the rest from launch (start-up, planning, freezing the selection).
        var window = 0.5, moveWindow = 0.3
        do {
            let scenario = try LocalRedriveScenario()
            defer { scenario.remove() }
            let run = try SluiceRun.start(scenario.redriveArguments)
            let started = run.waitForOutput(SluiceRun.startedLine) ? Date() : nil
            let outcome = run.wait()
            moveWindow = max(0.05, (started.map { Date().timeIntervalSince($0) } ?? 0.3) * 0.95)
            report.check(outcome.status == 0 && !outcome.signalled, "calibration run exited \(outcome.status): \(outcome.stderr.suffix(400))")
            let invariant = LocalInvariant(scenario: scenario)
            if let census = invariant.check("calibration", into: &report) {
                invariant.checkComplete(census, "calibration", into: &report)
            }
            window = max(0.1, outcome.seconds * 0.95)
        } catch {
            report.fail("calibration: \(error)")
            return report
        }
        report.figure("kill windows", String(format: "0–%.0f ms after launch (1 in 5), else 0–%.0f ms after the job started (a full run takes %.0f ms)",
                                             window * 1000, moveWindow * 1000, window / 0.95 * 1000))

        for i in 0..<iterations {
            let label = "iteration \(i)"
            do {
                let scenario = try LocalRedriveScenario()
                defer { scenario.remove() }
                let invariant = LocalInvariant(scenario: scenario)
                let run = try SluiceRun.start(scenario.redriveArguments)
                let afterStart = rng.next() % 5 != 0
                let delay = Double(rng.next() % 1_000_000) / 1_000_000 * (afterStart ? moveWindow : window)
                if afterStart { _ = run.waitForOutput(SluiceRun.startedLine) }
                usleep(useconds_t(delay * 1_000_000))
                let wasRunning = run.isRunning
                run.kill()
                let outcome = run.wait()
                report.check(!outcome.signalled || wasRunning, "\(label): sluice died of signal \(outcome.status) by itself: \(outcome.stderr.suffix(400))")
                if !outcome.signalled {
                    report.check(outcome.status == 0, "\(label): sluice exited \(outcome.status) before the kill: \(outcome.stderr.suffix(400))")
                }
                guard var census = invariant.check("\(label) after a kill \(Int(delay * 1000)) ms after \(afterStart ? "the job started" : "launch")", into: &report) else { continue }
                guard let job = census.jobs.first else {
                    landed.beforePlan += 1
                    report.check(census.inDLQ.values.reduce(0, +) == scenario.counts.values.reduce(0, +), "\(label): no job, yet the DLQ lost messages")
                    log("\(label): killed \(Int(delay * 1000)) ms after launch, before a job existed")
                    continue
                }
                if job.progress.state == .completed { landed.afterEnd += 1 } else { landed.midJob += 1 }
                var state = job.progress.state
                var resumes = 0
                while state.isResumable && resumes < 4 {
                    resumes += 1
                    let resumed = try SluiceRun.start(scenario.resumeArguments(job.plan.jobId))
                    // One resume in four is killed as well, at a random instant of its own.
                    if resumes == 1 && rng.next() % 4 == 0 {
                        usleep(useconds_t(Double(rng.next() % 1_000_000) / 1_000_000 * window * 1_000_000))
                        if resumed.isRunning { landed.resumeKilled += 1 }
                        resumed.kill()
                        _ = resumed.wait()
                    } else {
                        let r = resumed.wait()
                        report.check(r.status == 0 && !r.signalled, "\(label): resume \(resumes) exited \(r.status): \(r.stderr.suffix(400))")
                    }
                    guard let next = invariant.check("\(label) after resume \(resumes)", into: &report) else { break }
                    census = next
                    state = census.jobs.first?.progress.state ?? state
                }
                report.check(state == .completed, "\(label): job \(job.plan.jobId) ended \(state.rawValue) after \(resumes) resumes")
                invariant.checkComplete(census, "\(label) at the end", into: &report)
                log("\(label): killed \(Int(delay * 1000)) ms after \(afterStart ? "the job started" : "launch") (job \(job.progress.state.rawValue), \(job.progress.done)/\(job.progress.total)); \(resumes) resume(s) → \(state.rawValue)")
            } catch {
                report.fail("\(label): \(error)")
            }
        }
        report.figure("iterations", iterations)
        report.figure("killed before a job existed", landed.beforePlan)
        report.figure("killed mid-job", landed.midJob)
        report.figure("finished before the kill", landed.afterEnd)
        report.figure("resumes also killed", landed.resumeKilled)
        return report
    }
}
