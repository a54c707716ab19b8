import SluiceCore
import SluiceStore

/// Executes a confirmed redrive job: paced, jittered batches, guards checked before each batch,
/// pause/resume/abort between batches, progress and journal committed with every batch.
///
/// A job interrupted at any point (SIGHUP, a crash, `kill -9`) is resumed by running it again;
/// it continues at the first item no committed batch has handled.
public struct RedriveRunner: Sendable {
    public let store: Store
    public let target: any RedriveTarget
    public let observer: (any GuardObserver)?
    public let clock: any SluiceClock
    /// How long a lease lives without renewal; renewed after every batch.
    public var leaseTTL = TimeSpan.seconds(30)
    /// How often a guard-paused job looks again.
    public var guardRecheck = TimeSpan.seconds(5)
    /// The longest single sleep, so control requests are noticed promptly.
    public var pollSlice = TimeSpan.milliseconds(200)
    /// Who the journal names.
    public var actor = Store.currentActor

    public init(store: Store, target: any RedriveTarget, observer: (any GuardObserver)?, clock: any SluiceClock) {
        self.store = store
        self.target = target
        self.observer = observer
        self.clock = clock
    }

    /// Runs (or resumes) a job until it completes, is aborted, or is stopped.
    ///
    /// - Parameters:
    ///   - seed: the jitter sequence's seed (derived from the job id when nil, so a resumed job is
    ///     still reproducible in drills).
    ///   - onEvent: called for every step, on the caller's task.
    /// - Returns: the final progress.
    /// - Throws: `refused` when the job has ended, `conflict` when another run holds the DLQ;
    ///   a batch's error after marking the job `interrupted` (resumable).
    @discardableResult
    public func run(job jobId: String, control: RedriveControl = RedriveControl(), seed: UInt64? = nil,
                    onEvent: @Sendable (RedriveEvent) -> Void = { _ in }) async throws -> RedriveProgress {
        let record = try store.redriveJob(jobId)
        guard record.progress.state.isResumable else {
            throw SluiceError.refused("redrive job \(jobId) is \(record.progress.state.rawValue) and cannot run again",
                                      fix: "plan a new redrive with 'sluice redrive \(record.plan.dlq) --runbook …'")
        }
        let plan = record.plan
        let holder = Store.makeLeaseHolder()
        try store.acquireRedriveLease(dlq: plan.dlq, job: jobId, holder: holder, ttl: leaseTTL)
        do {
            let progress = try await loop(record: record, holder: holder, control: control, seed: seed ?? Self.seed(for: jobId), onEvent: onEvent)
            await target.finish(job: jobId)
            return progress
        } catch {
            let reason = (error as? SluiceError)?.description ?? "\(error)"
            try? store.setRedriveState(jobId, .interrupted, reason: "stopped by an error: \(reason)", actor: actor)
            try? store.releaseRedriveLease(dlq: plan.dlq, holder: holder)
            await target.finish(job: jobId)
            throw error
        }
    }

    private func loop(record: RedriveJobRecord, holder: String, control: RedriveControl, seed: UInt64,
                      onEvent: @Sendable (RedriveEvent) -> Void) async throws -> RedriveProgress {
        let plan = record.plan
        let jobId = plan.jobId
        let total = record.progress.total
        try store.setRedriveState(jobId, .running, reason: record.nextIndex == 0 ? "started" : "resumed at item \(record.nextIndex)", actor: actor)
        onEvent(.started(try store.redriveJob(jobId).progress))
        var pacer = Pacer(limits: plan.limits, seed: seed)
        var next = record.nextIndex
        var startAt: Timestamp? = nil
        var pausedByGuard = false
        var leaseRenewedAt = clock.now()

        while next < total {
            if let startAt, clock.now() < startAt {
                onEvent(.waiting(until: startAt, jitter: startAt - clock.now()))
                try await sleep(until: startAt, control: control)
            }
            switch control.current {
            case .abort(let reason):
                return try end(jobId, .aborted, reason: reason, holder: holder, onEvent: onEvent)
            case .stop(let reason):
                return try end(jobId, .interrupted, reason: reason, holder: holder, onEvent: onEvent)
            case .pause:
                try store.setRedriveState(jobId, .paused, reason: "paused by the operator", actor: actor)
                onEvent(.paused(try store.redriveJob(jobId).progress))
                while control.current == .pause {
                    try await clock.sleep(for: pollSlice)
                    await Task.yield()
                    try store.acquireRedriveLease(dlq: plan.dlq, job: jobId, holder: holder, ttl: leaseTTL)
                }
                if control.current == .none {
                    try store.setRedriveState(jobId, .running, reason: "resumed by the operator", actor: actor)
                    onEvent(.resumed(try store.redriveJob(jobId).progress))
                }
                continue
            case .none:
                break
            }
            if !plan.guards.isEmpty, let observer {
                let progress = try store.redriveProgress(jobId)
                let returned = try await target.returned(job: jobId, dlq: plan.dlq)
                let ratio = returned.map { progress.moved == 0 ? 0 : Double($0) / Double(progress.moved) }
                let report = plan.guards.evaluate(await observer.observe(guards: plan.guards, dlq: plan.dlq, returnedRatio: ratio))
                onEvent(.guardReport(report))
                switch report.decision {
                case .abort:
                    let why = report.deciding.map { "guard abort_if \($0.runbookGuard.sourceText): \($0.reason)" } ?? "a guard aborted"
                    return try end(jobId, .aborted, reason: why, holder: holder, onEvent: onEvent)
                case .pause:
                    if !pausedByGuard {
                        pausedByGuard = true
                        let why = report.deciding.map { "guard pause_if \($0.runbookGuard.sourceText): \($0.reason)" } ?? "a guard paused"
                        try store.setRedriveState(jobId, .paused, reason: why, actor: actor)
                        onEvent(.paused(try store.redriveJob(jobId).progress))
                    }
                    try await sleep(until: clock.now() + guardRecheck, control: control)
                    try store.acquireRedriveLease(dlq: plan.dlq, job: jobId, holder: holder, ttl: leaseTTL)
                    continue
                case .proceed:
                    if pausedByGuard {
                        pausedByGuard = false
                        try store.setRedriveState(jobId, .running, reason: "guards clear", actor: actor)
                        onEvent(.resumed(try store.redriveJob(jobId).progress))
                    }
                }
            }
            let count = min(plan.limits.batchSize, total - next)
            pacer.batchStarted(at: clock.now(), size: count)
            let outcome = try await target.runBatch(job: jobId, fromIndex: next, count: count)
            next += count
            // Renewing costs a write transaction: do it once a third of the lease has passed.
            if clock.now() - leaseRenewedAt >= TimeSpan(millis: leaseTTL.millis / 3) {
                try store.acquireRedriveLease(dlq: plan.dlq, job: jobId, holder: holder, ttl: leaseTTL)
                leaseRenewedAt = clock.now()
            }
            onEvent(.batch(try store.redriveProgress(jobId), outcome))
            startAt = pacer.nextStart(afterBatchEndedAt: clock.now()).start
        }
        return try end(jobId, .completed, reason: nil, holder: holder, onEvent: onEvent)
    }

    private func end(_ jobId: String, _ state: RedriveJobState, reason: String?, holder: String,
                     onEvent: @Sendable (RedriveEvent) -> Void) throws -> RedriveProgress {
        let dlq = try store.redriveJob(jobId).plan.dlq
        try store.setRedriveState(jobId, state, reason: reason, actor: actor)
        try store.releaseRedriveLease(dlq: dlq, holder: holder)
        let progress = try store.redriveJob(jobId).progress
        onEvent(.finished(progress))
        return progress
    }

    /// Sleeps until `time` in slices, returning early when a control request arrives.
    private func sleep(until time: Timestamp, control: RedriveControl) async throws {
        while clock.now() < time {
            if control.current != .none { return }
            try await clock.sleep(for: min(pollSlice, time - clock.now()))
        }
    }

    /// A stable seed from a job id (FNV-1a), so resumed jobs draw the same jitter sequence.
    static func seed(for jobId: String) -> UInt64 {
        jobId.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}
