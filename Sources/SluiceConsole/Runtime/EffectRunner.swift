import Synchronization
import SluiceCore
import SluiceRedrive
import SluiceRunbooks

/// Reads the newest journal entries (at most `limit`), oldest first. The embedded store has a
/// journal; a backend without one passes nil and the journal screen says so.
public typealias JournalReader = @Sendable (_ limit: Int) async throws -> [JournalEntry]

/// Runs console effects against a ``QueueBackend`` and posts the results back as events.
///
/// Each effect runs in its own task, so a slow backend call (SQS) never blocks keys or drawing.
/// Stats polls go through the ``Monitor``, which keeps history for rates, sparklines and alarms;
/// the console's `update` stays pure because it only ever sees the resulting ``MonitorReport``.
public final class EffectRunner: Sendable {
    /// Sparkline buckets: one per `sparklineBucket`, this many (the view shows what fits).
    public static let sparklineBuckets = 120
    /// The span of one sparkline bucket.
    public static let sparklineBucket = TimeSpan.seconds(2)
    /// The window rates are measured over.
    public static let rateWindow = TimeSpan.seconds(30)

    private let backend: any QueueBackend
    private let journal: JournalReader?
    private let monitor: Monitor
    private let usesDefaultAlarms: Bool
    private let post: @Sendable (ConsoleEvent) -> Void
    private let redrive: RedriveServices?
    private let simulation: (any SimulationControl)?
    private let jobs = RedriveJobTable()
    private let state = Mutex(RunnerState())

    private struct RunnerState {
        var transitionCursor = 0
        var queues: [QueueInfo] = []
        var tasks: [Int: Task<Void, Never>] = [:]
        /// Tasks that finished before they were registered.
        var finished: Set<Int> = []
        var nextTask = 0
        /// Feeds the store's history into the monitor, once, before any stats are ingested.
        var priming: Task<Void, Never>? = nil
        /// The last simulation command: the next one waits for it, so `> >` ends at 60x, never 10x.
        var lastSimulationCommand: Task<Void, Never>? = nil
    }

    /// Creates a runner.
    /// - Parameters:
    ///   - monitor: keeps metric history and evaluates alarms; with no definitions of its own it
    ///     gets the defaults for the queues it sees.
    ///   - redrive: the job store, target and runbooks; without them the dialog says redrive is unavailable.
    ///   - simulation: the drill behind the backend's clock, if any.
    ///   - post: where results go (the console loop's mailbox); called from any task.
    public init(backend: any QueueBackend, journal: JournalReader?, monitor: Monitor? = nil, redrive: RedriveServices? = nil,
                simulation: (any SimulationControl)? = nil, post: @escaping @Sendable (ConsoleEvent) -> Void) {
        self.backend = backend
        self.journal = journal
        self.redrive = redrive
        self.simulation = simulation
        let m = monitor ?? Monitor(sampleInterval: .seconds(1), retention: .minutes(30))
        self.monitor = m
        self.usesDefaultAlarms = m.definitions.isEmpty
        self.post = post
    }

    /// Starts an effect; its result arrives later through `post`.
    /// `.quit` and `.redraw` belong to the loop and are ignored here.
    public func perform(_ effect: ConsoleEffect) {
        switch effect {
        case .quit, .redraw: return
        case .controlRedrive(let jobId, let command):
            // Instant and cheap: done before the loop draws, so what the screen says has happened.
            do {
                try control(jobId, command)
            } catch {
                post(.failed(effect, error as? SluiceError ?? SluiceError(.internalError, "\(error)")))
            }
            return
        default: break
        }
        let id = state.withLock { s -> Int in
            s.nextTask += 1
            return s.nextTask
        }
        let ordered: Bool = if case .simulation = effect { true } else { false }
        let previous = ordered ? state.withLock { $0.lastSimulationCommand } : nil
        let task = Task { [self] in
            // Simulation commands apply in the order of the keys (pause, step, speed).
            await previous?.value
            do {
                if let event = try await run(effect) { post(event) }
            } catch is CancellationError {
                // The console is leaving; nobody waits for this answer.
            } catch let error as SluiceError {
                post(.failed(effect, error))
            } catch {
                post(.failed(effect, SluiceError(.internalError, "\(error)")))
            }
            state.withLock { s in
                if s.tasks.removeValue(forKey: id) == nil { s.finished.insert(id) }
            }
        }
        state.withLock { s in
            if s.finished.remove(id) == nil { s.tasks[id] = task }
            if ordered { s.lastSimulationCommand = task }
        }
    }

    /// Cancels every running effect (when the console quits).
    public func cancelAll() {
        let tasks = state.withLock { s -> [Task<Void, Never>] in
            let all = Array(s.tasks.values)
            s.tasks.removeAll()
            return all
        }
        tasks.forEach { $0.cancel() }
    }

    /// Redrive jobs running in this console.
    public var runningJobs: [String] { jobs.running }

    /// Stops every running redrive between batches, resumably, and waits for them: what
    /// quitting and termination signals do (like the command line's signal trap).
    /// - Returns: the jobs that were stopped.
    public func stopJobs(reason: String, grace: Duration = .seconds(10)) async -> [String] {
        await jobs.stopAll(reason: reason, grace: grace)
    }

    /// Sets the default alarms and feeds the backend's per-minute history into the monitor, so
    /// alarms and sparklines start with the last hour. Runs once; every stats load waits for it
    /// (a history ingested after the first live sample would be ignored).
    private func primeMonitor() async {
        let task = state.withLock { s in
            if let running = s.priming { return running }
            let task = Task { [backend, monitor, usesDefaultAlarms] in
                if usesDefaultAlarms, monitor.definitions.isEmpty, let queues = try? await backend.listQueues() {
                    monitor.setDefinitions(AlarmDefinition.defaults(for: queues))
                }
                await backend.prime(monitor)
            }
            s.priming = task
            return task
        }
        await task.value
    }

    /// Runs one effect to its result event.
    public func run(_ effect: ConsoleEffect) async throws -> ConsoleEvent? {
        switch effect {
        case .loadQueues:
            let queues = try await backend.listQueues()
            state.withLock { $0.queues = queues }
            if usesDefaultAlarms { monitor.setDefinitions(AlarmDefinition.defaults(for: queues)) }
            return .queuesLoaded(queues)
        case .loadStats:
            await primeMonitor()
            let stats = try await backend.stats(for: nil)
            return .statsLoaded(report(stats))
        case .loadFacets(let queue, let filter, let generation):
            let counts = try await backend.facets(of: queue, filter: filter)
            return .facetsLoaded(queue: queue, generation: generation, counts)
        case .loadPage(let queue, let filter, let cursor, let page, let limit, let generation):
            let result = try await backend.page(of: queue, filter: filter, after: cursor, limit: limit)
            return .pageLoaded(queue: queue, generation: generation, page: page,
                               messages: result.messages.map(MessageSummary.init), nextCursor: result.nextCursor)
        case .loadMessage(let queue, let id):
            return .messageLoaded(queue: queue, id: id, try await backend.message(in: queue, id: id))
        case .loadJournal(let limit):
            guard let journal else {
                throw SluiceError.refused("this backend keeps no journal", fix: "the audit journal lives in the embedded store: open it with --store")
            }
            return .journalLoaded(try await journal(limit))
        case .loadRunbooks(let dlq):
            return .runbooksLoaded(dlq: dlq, try services().choices(for: dlq))
        case .planRedrive(let dlq, let runbookId, let filter, let selection, let generation):
            return .planMade(generation: generation, try await plan(dlq: dlq, runbookId: runbookId, filter: filter, selection: selection))
        case .releasePlan(let jobId):
            await redrive?.target.finish(job: jobId)
            return nil
        case .startRedrive(let plan, let ack):
            try await start(plan, ack: ack)
            return nil
        case .controlRedrive(let jobId, let command):
            try control(jobId, command)
            return nil
        case .loadSimulation:
            guard let simulation else { return nil }
            return .simulationLoaded(await simulation.status())
        case .simulation(let command):
            guard let simulation else { return nil }
            switch command {
            case .setPaused(let paused): await simulation.setPaused(paused)
            case .step: await simulation.step()
            case .setSpeed(let speed): await simulation.setSpeed(speed)
            }
            return .simulationLoaded(await simulation.status())
        case .quit, .redraw:
            return nil
        }
    }

    private func control(_ jobId: String, _ command: JobControl) throws {
        guard let control = jobs.control(jobId) else {
            throw SluiceError.notFound("redrive \(jobId) is not running in this console", fix: "see 'sluice redrive --list'")
        }
        switch command {
        case .pause: control.pause()
        case .resume: control.resume()
        case .abort(let reason): control.abort(reason: reason)
        }
    }

    private func services() throws -> RedriveServices {
        guard let redrive else {
            throw SluiceError.refused("this console has no redrive job store", fix: "run 'sluice console' with --store (and --sqs for SQS), or use 'sluice redrive'")
        }
        return redrive
    }

    /// Plans with the runbook as it is on disk now (re-read, so an edit since the list was shown counts).
    private func plan(dlq: String, runbookId: String, filter: MessageFilter, selection: Set<String>) async throws -> RedrivePlan {
        let services = try services()
        guard let directory = services.runbookDirectory else { throw SluiceError.notFound("no runbook folder", fix: "start the console with --runbooks DIR") }
        let library = try RunbookLibrary.load(directory: directory)
        guard let runbook = library.runbook(id: runbookId) else {
            if let diagnostic = library.rejected.first {
                throw SluiceError.badInput("runbook '\(runbookId)' is no longer valid: \(diagnostic.description)", fix: "fix the file, then press r")
            }
            throw SluiceError.notFound("runbook '\(runbookId)' is no longer in \(directory)", fix: "press r to re-read the folder")
        }
        let target = selection.isEmpty ? services.target : SelectionTarget(base: services.target, selection: selection)
        var notes = services.notes
        if !selection.isEmpty { notes.append("only the \(selection.count) marked message\(selection.count == 1 ? "" : "s") were considered") }
        return try await RedrivePlanner(backend: backend, target: target).plan(dlq: dlq, runbook: runbook, filter: filter, notes: notes)
    }

    /// Saves the confirmed plan as a job and runs it in the background; its steps arrive as
    /// `.redrive` events, its failure as `.redriveFailed`.
    private func start(_ plan: RedrivePlan, ack: String?) async throws {
        let services = try services()
        do {
            try services.store.createRedriveJob(plan, ack: ack)
            try await services.target.frozen(plan: plan)
        } catch {
            await services.target.finish(job: plan.jobId)
            throw error
        }
        if let simulation {
            var details = ["job": plan.jobId, "dlq": plan.dlq, "runbook": plan.runbookId,
                           "move": String(plan.moveCount), "discard": String(plan.discardCount)]
            if let ack { details["ack"] = ack }
            await simulation.recordOperatorAction("redrive", details: details)
        }
        let monitor = self.monitor
        let runner = RedriveRunner(store: services.store, target: services.target,
                                   observer: BackendGuardObserver(backend: backend, alarmState: { monitor.status(of: $0)?.state }),
                                   clock: backend.clock)
        let control = RedriveControl()
        let post = self.post
        let jobId = plan.jobId
        jobs.launch(jobId, control: control) {
            do {
                _ = try await runner.run(job: jobId, control: control) { event in post(.redrive(jobId: jobId, event)) }
            } catch {
                post(.redriveFailed(jobId: jobId, error as? SluiceError ?? SluiceError(.internalError, "\(error)")))
            }
        }
    }

    /// Feeds a stats snapshot to the monitor and reads back what the dashboard shows.
    func report(_ stats: [QueueStats]) -> MonitorReport {
        let now = stats.map(\.at).max() ?? backend.clock.now()
        monitor.ingest(stats, at: now)
        let (queues, cursor) = state.withLock { ($0.queues, $0.transitionCursor) }
        let (transitions, next, _) = monitor.transitions(since: cursor)
        state.withLock { $0.transitionCursor = next }
        let byName = Dictionary(queues.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var rates: [String: QueueRates] = [:]
        for s in stats { rates[s.queue] = monitor.rates(queue: s.queue, window: EffectRunner.rateWindow, now: now) }
        let readouts = stats.map { s -> QueueReadout in
            let r = rates[s.queue]
            var inRate = r?.sent
            if let sources = byName[s.queue]?.deadLetterSources, !sources.isEmpty {
                let moved = sources.compactMap { rates[$0]?.deadLettered }
                if !moved.isEmpty { inRate = (inRate ?? 0) + moved.reduce(0, +) }
            }
            var outRate = r?.deleted
            if let dead = r?.deadLettered { outRate = (outRate ?? 0) + dead }
            let history = monitor.sparkline(queue: s.queue, metric: .depth, bucket: EffectRunner.sparklineBucket,
                                            count: EffectRunner.sparklineBuckets, now: now)
            return QueueReadout(stats: s, inRate: inRate, outRate: outRate, depthHistory: history.map { Int(($0 ?? 0).rounded()) })
        }
        let alarms = monitor.alarms().map { a in
            AlarmRow(name: a.definition.name, queue: a.definition.queue, status: a.status ?? .initial(at: now))
        }
        return MonitorReport(at: now, readouts: readouts, alarms: alarms, transitions: transitions)
    }
}
