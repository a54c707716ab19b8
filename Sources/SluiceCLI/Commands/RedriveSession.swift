import Foundation
import SluiceConsole
import SluiceCore
import SluiceRedrive
import SluiceStore
import Synchronization

/// Runs redrive jobs for the command line and prints plans and progress (text or JSON Lines).
struct RedriveSession: Sendable {
    let store: Store
    let backend: any QueueBackend
    let target: any RedriveTarget
    let json: Bool

    var planner: RedrivePlanner { RedrivePlanner(backend: backend, target: target) }

    /// Runs a job to its end, stopping cleanly between batches on SIGINT/SIGTERM/SIGHUP.
    func execute(job: String) async throws {
        let control = RedriveControl()
        let trap = SignalTrap { signal in control.stop(reason: "stopped by \(ConsoleApp.signalName(signal))") }
        defer { trap.cancel() }
        let runner = RedriveRunner(store: store, target: target, observer: BackendGuardObserver.monitoring(backend: backend, monitor: Monitor()), clock: backend.clock)
        let json = self.json
        let lastLine = Mutex(Timestamp(millis: 0))
        let clock = backend.clock
        let final = try await runner.run(job: job, control: control) { event in
            // Each event reaches a pipe as it happens (`sluice redrive --json | jq`), not when a buffer fills.
            defer { fflush(nil) }
            if json {
                RedriveJSON.print(event)
                return
            }
            switch event {
            case .started(let p): print("job \(p.jobId): \(p.state.rawValue), \(p.toGo)")
            case .batch(let p, _):
                // At most two lines a second, plus the last batch.
                let now = clock.now()
                let due = lastLine.withLock { last in
                    guard now - last >= .milliseconds(500) || p.done == p.total else { return false }
                    last = now
                    return true
                }
                if due { print(Self.progressLine(p)) }
            case .paused(let p): print("paused: \(p.reason ?? "")")
            case .resumed: print("resumed")
            case .finished(let p): print("\(p.state.rawValue): \(p.outcomeSummary)")
            case .waiting, .guardReport: break
            }
        }
        switch final.state {
        case .completed: return
        case .interrupted, .paused:
            Terminal.note("job \(job) is resumable: sluice redrive --resume \(job)")
            throw SluiceError(.checkFailed, "redrive \(job) stopped before finishing (\(final.reason ?? final.state.rawValue))", fix: "resume it with 'sluice redrive --resume \(job)'")
        default:
            throw SluiceError(.checkFailed, "redrive \(job) \(final.state.rawValue): \(final.reason ?? "")", fix: "see 'sluice audit' for what moved; fix the cause before planning again")
        }
    }

    static func progressLine(_ p: RedriveProgress) -> String {
        let width = 30
        let filled = Int((p.fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "[\(bar)] \(Int((p.fraction * 100).rounded(.down)))%  moved \(p.moved)  discarded \(p.discarded)  gone \(p.gone)  batches \(p.batches)"
    }

    /// Cancels a job that no process is running.
    func cancel(_ job: String) throws {
        let record = try store.redriveJob(job)
        guard record.progress.state.isResumable else {
            throw SluiceError.refused("redrive job \(job) is already \(record.progress.state.rawValue)")
        }
        let probe = Store.makeLeaseHolder()
        try store.acquireRedriveLease(dlq: record.plan.dlq, job: job, holder: probe, ttl: .seconds(1))
        try store.setRedriveState(job, .cancelled, reason: "cancelled by the operator")
        print("cancelled \(job): moved \(record.progress.moved) of \(record.progress.total) before it stopped; the rest stays in \(record.plan.dlq)")
    }

    func printJobs() throws {
        let jobs = try store.redriveJobs()
        if json {
            for j in jobs { JSONOutput.print(j.progress) }
            return
        }
        if jobs.isEmpty { print("no redrive jobs"); return }
        var table = TextTable(["JOB", "STATE", "DLQ", "TO", "RUNBOOK", "DONE", "TOTAL", "REASON"], rightAligned: [5, 6])
        for j in jobs {
            table.add([j.progress.jobId, j.progress.state.rawValue, j.plan.dlq, j.plan.destination, j.plan.runbookId,
                       String(j.progress.done), String(j.progress.total), (j.progress.reason ?? "").preview(40)])
        }
        print(table.render())
    }

    func printPlan(_ plan: RedrivePlan, runbook: Runbook) {
        defer { fflush(nil) }
        if json {
            JSONOutput.print(PlanJSON(plan))
            return
        }
        print("Plan \(plan.jobId): \(plan.dlq) → \(plan.destination)   runbook \(plan.runbookId) (\(plan.runbookTitle))")
        print("filter: \(plan.effectiveFilter.summary)")
        var table = TextTable(["ERROR TYPE", "STRATEGY", "COUNT"], rightAligned: [2])
        for c in plan.counts { table.add([c.errorType, c.strategy.rawValue, String(c.count)]) }
        print(table.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        print("move \(plan.moveCount) · discard \(plan.discardCount) · stay \(plan.skipCount)" + (plan.overLimit > 0 ? " · over the limit (left for later) \(plan.overLimit)" : ""))
        print("ages: " + plan.ageHistogram.map { "\($0.label) \($0.count)" }.joined(separator: " | "))
        let l = plan.limits
        print("batches of \(l.batchSize), jitter \(l.jitter.lowerBound)..\(l.jitter.upperBound), at most \(RunbookBatch.formatRate(l.maxRate)) → \(plan.batchCount) batch\(plan.batchCount == 1 ? "" : "es"), about \(plan.estimatedDuration.compact)")
        if !plan.guards.isEmpty { print("guards: " + plan.guards.map(\.description).joined(separator: "; ")) }
        for w in runbook.warnings { print("warning: \(w)") }
        for n in plan.notes { print("note: \(n)") }
    }
}

/// The plan as the first JSON line of `redrive --json`.
struct PlanJSON: Encodable {
    let event = "plan"
    let jobId: String
    let dlq: String
    let destination: String
    let runbook: String
    let move: Int
    let discard: Int
    let skip: Int
    let overLimit: Int
    let counts: [StrategyCount]
    let ageHistogram: [AgeBucket]
    let batchSize: Int
    let jitterMinMs: Int64
    let jitterMaxMs: Int64
    let maxRatePerSecond: Double
    let batches: Int
    let estimatedDurationMs: Int64
    let requiresRootCauseAck: Bool
    let messageIds: [String]

    init(_ p: RedrivePlan) {
        jobId = p.jobId; dlq = p.dlq; destination = p.destination; runbook = p.runbookId
        move = p.moveCount; discard = p.discardCount; skip = p.skipCount; overLimit = p.overLimit
        counts = p.counts; ageHistogram = p.ageHistogram
        batchSize = p.limits.batchSize; jitterMinMs = p.limits.jitter.lowerBound.millis; jitterMaxMs = p.limits.jitter.upperBound.millis
        maxRatePerSecond = p.limits.maxRate; batches = p.batchCount; estimatedDurationMs = p.estimatedDuration.millis
        requiresRootCauseAck = p.requiresRootCauseAck
        messageIds = p.items.map(\.messageId)
    }
}

/// Progress events as JSON Lines.
enum RedriveJSON {
    struct Line: Encodable {
        let event: String
        let progress: RedriveProgress?
        let batch: BatchOutcome?
        let untilMs: Int64?
        let guards: [String]?
    }

    static func print(_ event: RedriveEvent) {
        let line: Line
        switch event {
        case .started(let p): line = Line(event: "started", progress: p, batch: nil, untilMs: nil, guards: nil)
        case .waiting(let until, _): line = Line(event: "waiting", progress: nil, batch: nil, untilMs: until.millis, guards: nil)
        case .batch(let p, let o): line = Line(event: "batch", progress: p, batch: o, untilMs: nil, guards: nil)
        case .guardReport(let r): line = Line(event: "guards", progress: nil, batch: nil, untilMs: nil, guards: r.verdicts.map(\.description))
        case .paused(let p): line = Line(event: "paused", progress: p, batch: nil, untilMs: nil, guards: nil)
        case .resumed(let p): line = Line(event: "resumed", progress: p, batch: nil, untilMs: nil, guards: nil)
        case .finished(let p): line = Line(event: "finished", progress: p, batch: nil, untilMs: nil, guards: nil)
        }
        JSONOutput.print(line)
    }
}
