import Synchronization
import SluiceCore
import SluiceStore
import SluiceRedrive

/// A runner's events, collected on the runner's task and read by the event loop between turns.
final class RedriveEventBox: Sendable {
    private struct State {
        var events: [RedriveEvent] = []
        var ended = false
        var error: String?
    }

    private let state = Mutex(State())

    func append(_ event: RedriveEvent) { state.withLock { $0.events.append(event) } }

    func end(error: String?) {
        state.withLock {
            $0.ended = true
            $0.error = error
        }
    }

    func drain() -> (events: [RedriveEvent], ended: Bool, error: String?) {
        state.withLock { s in
            defer { s.events.removeAll() }
            return (s.events, s.ended, s.error)
        }
    }
}

/// One redrive an operator step started, and what became of it.
struct RedriveRun {
    let runbook: String
    let dlq: String
    let destination: String
    let jobId: String
    let control: RedriveControl
    let box: RedriveEventBox
    /// DLQ message id → key number, for the frozen selection.
    let keys: [String: Int]
    let startedAt: Int64
    var summary: RedriveSummary
    var finished = false
    var lastDecision = GuardReport.Decision.proceed
}

extension DrillSession {
    func operatorStep(_ index: Int) async throws {
        let (step, live) = steps[index]
        try await run(step, index: index, live: live)
    }

    func run(_ step: OperatorStep, index: Int, live: Bool) async throws {
        var fields: [(String, TraceValue)] = [("action", .string(step.action.verb)), ("dlq", .string(step.action.dlq)), ("live", .bool(live))]
        switch step.action {
        case let .redrive(_, runbook, ack, filter, limit):
            fields += [("runbook", .string(runbook)), ("ack", ack.map(TraceValue.string) ?? .null), ("limit", limit.map { .int($0) } ?? .null),
                       ("error_types", .strings(filter.errorTypes.sorted())),
                       ("min_age_ms", filter.minAge.map { .int($0.millis) } ?? .null), ("max_age_ms", filter.maxAge.map { .int($0.millis) } ?? .null)]
        case let .abort(_, reason):
            fields.append(("reason", .string(reason)))
        case .pause, .resume:
            break
        }
        trace.emit(now, "operator", fields)
        note("operator: \(step.action.description)")

        switch step.action {
        case let .redrive(dlq, runbook, ack, filter, limit):
            try await startRedrive(dlq: dlq, runbookId: runbook, ack: ack, filter: filter, limit: limit, index: index)
        case let .pause(dlq), let .resume(dlq), let .abort(dlq, _):
            guard let run = redrives.last(where: { $0.dlq == dlq && !$0.finished }) else {
                trace.emit(now, "operator.ignored", [("dlq", .string(dlq)), ("reason", .string("no redrive of \(dlq) is running"))])
                return
            }
            switch step.action {
            case .pause: run.control.pause()
            case .resume: run.control.resume()
            case let .abort(_, reason): run.control.abort(reason: reason)
            case .redrive: break
            }
        }
    }

    private func startRedrive(dlq: String, runbookId: String, ack: String?, filter: MessageFilter, limit: Int?, index: Int) async throws {
        var summary = RedriveSummary(runbook: runbookId, dlq: dlq, startedAtMs: now)
        guard let runbook = loaded.runbook(runbookId) else {
            summary.state = "refused"
            summary.reason = "runbook '\(runbookId)' is not loaded"
            refuse(summary)
            return
        }
        let backend = LocalBackend(store: store)
        let target = LocalRedriveTarget(store: store)
        let plan: RedrivePlan
        do {
            plan = try await RedrivePlanner(backend: backend, target: target)
                .plan(dlq: dlq, runbook: runbook, filter: filter, maxMessages: limit, seed: DrillSession.stream(seed, 3, index), notes: ["drill \(drill.id)"])
        } catch let error as SluiceError {
            summary.state = "refused"
            summary.reason = error.description
            refuse(summary)
            return
        }
        var keys: [String: Int] = [:]
        for item in plan.items {
            if let m = try store.message(in: dlq, id: item.messageId), let key = MessageLedger.key(inBody: m.body) { keys[item.messageId] = key }
        }
        try store.createRedriveJob(plan, ack: ack, actor: "drill")
        summary.jobId = plan.jobId
        summary.planned = plan.items.count
        summary.plannedMoves = plan.moveCount
        summary.plannedDiscards = plan.discardCount
        summary.skipped = plan.skipCount
        summary.state = RedriveJobState.planned.rawValue
        trace.emit(now, "redrive.plan", [
            ("job", .string(plan.jobId)), ("runbook", .string(runbookId)), ("dlq", .string(dlq)), ("destination", .string(plan.destination)),
            ("move", .int(plan.moveCount)), ("discard", .int(plan.discardCount)), ("skip", .int(plan.skipCount)),
            ("over_limit", .int(plan.overLimit)), ("batches", .int(plan.batchCount)),
            ("counts", .object(Dictionary(plan.counts.map { ("\($0.errorType):\($0.strategy.rawValue)", TraceValue.int($0.count)) }, uniquingKeysWith: { $1 }))),
        ])

        let monitor = self.monitor
        let observer = BackendGuardObserver(backend: backend, alarmState: { monitor.status(of: $0)?.state })
        var runner = RedriveRunner(store: store, target: target, observer: observer, clock: simClock)
        runner.actor = "drill"
        let control = RedriveControl()
        let box = RedriveEventBox()
        redrives.append(RedriveRun(runbook: runbookId, dlq: dlq, destination: plan.destination, jobId: plan.jobId, control: control,
                                   box: box, keys: keys, startedAt: now, summary: summary))
        let jobId = plan.jobId, clock = simClock, job = runner
        await simClock.handOver {
            Task.detached {
                do {
                    _ = try await job.run(job: jobId, control: control, onEvent: { box.append($0) })
                    box.end(error: nil)
                } catch {
                    box.end(error: (error as? SluiceError)?.description ?? "\(error)")
                }
                clock.runnerEnded()
            }
        }
        drainRedriveEvents()
    }

    private func refuse(_ summary: RedriveSummary) {
        trace.emit(now, "redrive.refused", [("runbook", .string(summary.runbook)), ("dlq", .string(summary.dlq)), ("reason", .string(summary.reason ?? ""))])
        redrives.append(RedriveRun(runbook: summary.runbook, dlq: summary.dlq, destination: "", jobId: "", control: RedriveControl(),
                                   box: RedriveEventBox(), keys: [:], startedAt: now, summary: summary, finished: true))
    }

    /// Turns what runners reported since the last turn into trace lines and counters.
    func drainRedriveEvents() {
        for i in redrives.indices where !redrives[i].finished {
            let (events, ended, error) = redrives[i].box.drain()
            for event in events { apply(event, to: i) }
            if ended {
                redrives[i].finished = true
                if let error {
                    redrives[i].summary.reason = error
                    trace.emit(now, "redrive.error", [("job", .string(redrives[i].jobId)), ("error", .string(error))])
                }
            }
        }
    }

    private func apply(_ event: RedriveEvent, to i: Int) {
        let job = TraceValue.string(redrives[i].jobId)
        func progressFields(_ p: RedriveProgress) -> [(String, TraceValue)] {
            [("job", job), ("state", .string(p.state.rawValue)), ("moved", .int(p.moved)), ("discarded", .int(p.discarded)),
             ("gone", .int(p.gone)), ("failed", .int(p.failed)), ("returned", .int(p.returned)), ("reason", p.reason.map(TraceValue.string) ?? .null)]
        }
        func record(_ p: RedriveProgress) {
            redrives[i].summary.state = p.state.rawValue
            redrives[i].summary.moved = p.moved
            redrives[i].summary.discarded = p.discarded
            redrives[i].summary.returned = p.returned
            if let reason = p.reason { redrives[i].summary.reason = reason }
        }
        switch event {
        case let .started(p):
            record(p)
            trace.emit(now, "redrive.started", [("job", job), ("total", .int(p.total))])
        case .waiting:
            break
        case let .batch(p, outcome):
            record(p)
            redrives[i].summary.batches += 1
            let keys = redrives[i].keys
            for id in outcome.discarded { if let key = keys[id] { ledger.markDiscarded(key) } }
            counts.redriven += outcome.moved.count
            counts.discarded += outcome.discarded.count
            if let q = queueIndex[redrives[i].destination], !outcome.moved.isEmpty {
                sentSinceSample[q] += outcome.moved.count
                wake(queue: q, messages: outcome.moved.count)
            }
            trace.emit(now, "redrive.batch", [
                ("job", job), ("index", .int(outcome.index)),
                ("moved", .strings(outcome.moved.map { keys[$0.oldId].map(MessageLedger.keyName) ?? $0.oldId })),
                ("discarded", .strings(outcome.discarded.map { keys[$0].map(MessageLedger.keyName) ?? $0 })),
                ("gone", .int(outcome.gone.count)), ("failed", .int(outcome.failed.count)),
            ])
        case let .guardReport(report):
            guard report.decision != redrives[i].lastDecision else { return }
            redrives[i].lastDecision = report.decision
            trace.emit(now, "redrive.guard", [("job", job), ("decision", .string(report.decision.rawValue)),
                                              ("reason", report.deciding.map { .string($0.reason) } ?? .null)])
        case let .paused(p):
            record(p)
            if p.reason?.hasPrefix("guard") == true { redrives[i].summary.guardPauses += 1 }
            trace.emit(now, "redrive.paused", progressFields(p))
        case let .resumed(p):
            record(p)
            trace.emit(now, "redrive.resumed", progressFields(p))
        case let .finished(p):
            record(p)
            redrives[i].summary.endedAtMs = now
            trace.emit(now, "redrive.finished", progressFields(p))
            note("redrive with \(redrives[i].runbook) \(p.state.rawValue): moved \(p.moved), discarded \(p.discarded)")
        }
    }

    /// Stops redrives still running at the end (they end `interrupted`, resumable) and lets
    /// their runners wind down.
    func stopRedrives() async {
        for run in redrives where !run.finished { run.control.stop(reason: "the drill ended") }
        var turns = 0
        while redrives.contains(where: { !$0.finished }), simClock.nextWake != nil, turns < 100_000 {
            await simClock.resumeEarliest()
            drainRedriveEvents()
            turns += 1
        }
    }
}
