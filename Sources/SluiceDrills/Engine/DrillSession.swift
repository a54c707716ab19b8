import Foundation
import SluiceCore
import SluiceStore
import SluiceRunbooks

/// One run of a drill: a fresh embedded store on a virtual clock, the event loop that drives
/// producers, workers, faults and operator steps, the monitor and its alarms, and the trace.
///
/// Headless runs call ``advance(to:)`` with the drill's duration and then ``finish()``; the
/// console calls ``advance(to:)`` in small steps mapped to wall time and ``perform(_:)`` for
/// what the operator does live (recorded in the trace, so a replay repeats it).
public actor DrillSession {
    /// Where every drill's virtual time starts: a minute boundary, so alarm periods line up with
    /// drill minutes.
    public static let epoch = Timestamp(millis: 1_795_600_020_000)

    public nonisolated let loaded: LoadedDrill
    public nonisolated let seed: UInt64
    /// The drill's store (in the folder given to ``init(loaded:seed:directory:trace:liveSteps:)``).
    public nonisolated let store: Store
    /// The drill's monitor: series, alarms and their transitions.
    public nonisolated let monitor: Monitor
    nonisolated let clock: ManualClock
    nonisolated let simClock: SimulationClock

    let drill: Drill
    let trace: TraceWriter
    var agenda = EventQueue()
    var ledger = MessageLedger()
    var counts = Counts()
    /// Drill milliseconds of the event being handled.
    var now: Int64 = 0
    var finished = false
    var report: DrillReport?

    // Topology.
    let queueNames: [String]
    let queueIndex: [String: Int]
    let visibility: [Int64]
    // Producers.
    var producers: [ProducerState]
    // Workers.
    var workerRNG: [SplitMix64]
    /// Per fault, the seed its per-message draws mix with the message's key.
    let faultStream: [UInt64]
    var pollers: [Poller] = []
    var waiting: [[Int]]
    /// Whether a queue may have visible messages: false once a receive came back short, true
    /// again after anything that makes messages visible. A poller that finishes while it is false
    /// waits instead of receiving (its long-poll timer still receives for real).
    var maybeVisible: [Bool]
    var invocations: [Int: Invocation] = [:]
    var nextInvocation = 0
    var workerDown: [Bool]
    var slowLeft: [Int: Int] = [:]
    // Monitoring.
    var sentSinceSample: [Int]
    var latencies: [[Int64]]
    var timeline: [AlarmTransition] = []
    var peakOldest: [Int64]
    var peakDepth: [Int]
    // Operator.
    var steps: [(step: OperatorStep, live: Bool)]
    var redrives: [RedriveRun] = []
    /// The latest notable thing, for a live view's header.
    var latestNote: (at: Int64, text: String)?
    /// Runbooks the console used that the drill's own steps do not (their text is in the trace).
    var externalRunbooks: Set<String> = []

    /// Counters kept while the drill runs; the rest are computed at the end.
    struct Counts {
        var sent = 0, sideEffects = 0, duplicateSideEffects = 0, duplicatesSuppressed = 0, poisonRequeued = 0
        var failures = 0, timeouts = 0, redriven = 0, discarded = 0, staleDeletes = 0, invocations = 0
        /// Store calls by kind: what a drill costs, for tuning (they go into the trace's last line).
        var calls: [String: Int] = [:]
    }

    /// Counts one store call of a kind.
    func call(_ kind: String) { counts.calls[kind, default: 0] += 1 }

    /// Sets the drill up: creates its store and queues and writes the trace header.
    /// - Parameters:
    ///   - seed: overrides the drill's seed.
    ///   - directory: an existing folder for the store (a temporary one, usually).
    ///   - liveSteps: operator actions taken live in an earlier run, replayed at their times.
    /// - Throws: ``SluiceError`` when the store cannot be created or the trace not written.
    public init(loaded: LoadedDrill, seed: UInt64? = nil, directory: String, trace sink: TraceSink = .discard, liveSteps: [OperatorStep] = []) async throws {
        self.loaded = loaded
        self.drill = loaded.drill
        let seed = seed ?? loaded.drill.seed
        self.seed = seed
        let clock = ManualClock(start: DrillSession.epoch)
        self.clock = clock
        simClock = SimulationClock(base: clock)
        store = try Store(path: directory + "/drill.sluice", clock: clock, idPrefixSeed: seed)
        monitor = Monitor(definitions: loaded.drill.allAlarms, sampleInterval: loaded.drill.sampleInterval, retention: max(.hours(2), loaded.drill.duration + .minutes(10)))
        trace = try TraceWriter(sink)

        let names = loaded.drill.queues.map(\.name)
        queueNames = names
        queueIndex = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        visibility = loaded.drill.queues.map(\.visibilityTimeout.millis)
        waiting = Array(repeating: [], count: names.count)
        maybeVisible = Array(repeating: true, count: names.count)
        sentSinceSample = Array(repeating: 0, count: names.count)
        latencies = Array(repeating: [], count: names.count)
        peakOldest = Array(repeating: 0, count: names.count)
        peakDepth = Array(repeating: 0, count: names.count)
        producers = loaded.drill.producers.indices.map { ProducerState(rng: SplitMix64(seed: DrillSession.stream(seed, 1, $0))) }
        workerRNG = loaded.drill.workers.indices.map { SplitMix64(seed: DrillSession.stream(seed, 2, $0)) }
        faultStream = loaded.drill.faults.indices.map { DrillSession.stream(seed, 4, $0) }
        workerDown = Array(repeating: false, count: loaded.drill.workers.count)
        steps = (loaded.drill.steps.map { ($0, false) } + liveSteps.map { ($0, true) }).sorted { $0.0.at < $1.0.at }

        try createQueues()
        writeHeader(liveSteps: liveSteps)
        scheduleStart()
    }

    /// An independent random stream per producer/worker, so adding one does not shift the others.
    static func stream(_ seed: UInt64, _ kind: UInt64, _ index: Int) -> UInt64 {
        var mixer = SplitMix64(seed: seed ^ (kind &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(index) &* 0xBF58_476D_1CE4_E5B9))
        return mixer.next()
    }

    private func createQueues() throws {
        var pending = drill.queues
        while !pending.isEmpty {
            let ready = pending.filter { q in q.deadLetterQueue.map { dlq in !pending.contains { $0.name == dlq } } ?? true }
            guard !ready.isEmpty else {
                throw SluiceError.badInput("the queues' dead-letter queues form a loop (\(pending.map(\.name).joined(separator: ", ")))", fix: "make the DLQ chain end in a queue without a dlq")
            }
            for q in ready { try store.createQueue(q.spec) }
            pending.removeAll { q in ready.contains { $0.name == q.name } }
        }
    }

    private func writeHeader(liveSteps: [OperatorStep]) {
        trace.emit(0, "drill", [
            ("format", .int(1)), ("id", .string(drill.id)), ("title", .string(drill.title)), ("path", .string(drill.sourcePath)),
            ("seed", .string(String(seed))), ("duration_ms", .int(drill.duration.millis)), ("epoch_ms", .int(DrillSession.epoch.millis)),
            ("source", .string(loaded.source)),
        ])
        for runbook in loaded.runbooks {
            trace.emit(0, "runbook", [("id", .string(runbook.id)), ("path", .string(runbook.sourcePath)),
                                      ("source", loaded.runbookSources[runbook.id].map(TraceValue.string) ?? .null)])
        }
        for alarm in drill.allAlarms {
            trace.emit(0, "alarm.defined", [("name", .string(alarm.name)), ("queue", .string(alarm.queue)), ("severity", .string(alarm.severity.rawValue)),
                                            ("rule", .string(alarm.summary))])
        }
    }

    private func scheduleStart() {
        for (i, f) in drill.faults.enumerated() {
            agenda.schedule(at: f.at.millis, .fault, .faultStarts(i))
            if let length = f.length { agenda.schedule(at: (f.at + length).millis, .fault, .faultEnds(i)) }
        }
        for (i, s) in steps.enumerated() { agenda.schedule(at: s.step.at.millis, .operatorStep, .operatorStep(i)) }
        for (i, p) in drill.producers.enumerated() where p.start + p.window < drill.duration {
            agenda.schedule(at: (p.start + p.window).millis, .produce, .produce(producer: i))
        }
        for (w, worker) in drill.workers.enumerated() {
            for q in worker.queues {
                for _ in 0..<worker.concurrency {
                    pollers.append(Poller(worker: w, queue: queueIndex[q]!))
                    agenda.schedule(at: 0, .poll, .poll(poller: pollers.count - 1, generation: 0))
                }
            }
        }
        var t: Int64 = 0
        while t < drill.duration.millis {
            agenda.schedule(at: t, .sample, .sample)
            t += drill.sampleInterval.millis
        }
        agenda.schedule(at: drill.duration.millis, .sample, .sample)
    }

    // MARK: Running

    /// Drill time reached so far.
    public var elapsed: TimeSpan { TimeSpan(millis: now) }

    /// Whether ``finish()`` has run.
    public var isFinished: Bool { finished }

    /// Runs every event up to drill time `limit` (capped at the drill's duration).
    /// - Throws: ``SluiceError`` when the store fails (an internal error: drills do not inject store faults).
    public func advance(to limit: TimeSpan) async throws {
        guard !finished else { return }
        let end = min(limit, drill.duration).millis
        while true {
            let nextEvent = agenda.nextTime
            let nextWake = simClock.nextWake.map { $0.millis - DrillSession.epoch.millis }
            if let e = nextEvent, e <= end, nextWake.map({ e <= $0 }) ?? true {
                let (time, event) = agenda.pop()!
                setTime(time)
                try await handle(event)
            } else if let w = nextWake, w <= end {
                setTime(w)
                await simClock.resumeEarliest()
                drainRedriveEvents()
            } else {
                break
            }
        }
        setTime(end)
    }

    func setTime(_ t: Int64) {
        if t > now { now = t }
        clock.set(DrillSession.epoch + TimeSpan(millis: now))
    }

    private func handle(_ event: EventQueue.Event) async throws {
        switch event {
        case let .faultStarts(i): try faultStarts(i)
        case let .faultEnds(i): faultEnds(i)
        case let .release(queue, items): try release(queue: queue, items)
        case let .visible(queue, count): wake(queue: queue, messages: count)
        case let .operatorStep(i): try await operatorStep(i)
        case let .produce(p): try produce(p)
        case let .recordStarts(id): try recordStarts(id)
        case let .recordEnds(id): try recordEnds(id)
        case let .timeout(id): try timedOut(id)
        case let .poll(p, generation): try poll(p, generation: generation)
        case .sample: try sample()
        }
    }

    /// Takes a live operator action now: it runs at the current drill time and goes into the
    /// trace as `live`, so replaying the trace repeats it.
    public func perform(_ action: OperatorAction) async throws {
        guard !finished else { throw SluiceError.refused("the drill has finished", fix: "start it again to act on it") }
        let step = OperatorStep(at: TimeSpan(millis: now), action: action)
        steps.append((step, true))
        try await run(step, index: steps.count - 1, live: true)
    }

    // MARK: Sampling

    func sample() throws {
        call("stats")
        let stats = try store.stats()
        let transitions = monitor.ingest(stats, at: DrillSession.epoch + TimeSpan(millis: now))
        var queues: [String: TraceValue] = [:]
        for s in stats {
            guard let q = queueIndex[s.queue] else { continue }
            peakDepth[q] = max(peakDepth[q], s.depth)
            peakOldest[q] = max(peakOldest[q], s.oldestAge?.millis ?? 0)
            var fields: [String: TraceValue] = [
                "visible": .int(s.visible), "in_flight": .int(s.inFlight), "delayed": .int(s.delayed),
                "oldest_ms": s.oldestAge.map { .int($0.millis) } ?? .null,
            ]
            if let c = s.counters {
                fields["sent"] = .int(c.sent)
                fields["received"] = .int(c.received)
                fields["deleted"] = .int(c.deleted)
                fields["failed"] = .int(c.failed)
                fields["dead_lettered"] = .int(c.deadLettered)
            }
            queues[s.queue] = .object(fields)
            sentSinceSample[q] = 0
        }
        trace.emit(now, "sample", [("queues", .object(queues))])
        for t in transitions {
            timeline.append(t)
            if t.to == .alarm || t.from == .alarm { note("alarm \(t.name) \(t.from.rawValue) -> \(t.to.rawValue)") }
            trace.emit(now, "alarm", [("name", .string(t.name)), ("queue", .string(t.queue)), ("from", .string(t.from.rawValue)),
                                      ("to", .string(t.to.rawValue)), ("severity", .string(t.severity.rawValue)), ("reason", .string(t.reason))])
        }
    }

    /// The latest notable thing that happened (a fault, an operator step, an alarm going in or
    /// out of ALARM, a redrive ending), with its drill time.
    public var headline: (at: TimeSpan, text: String)? {
        latestNote.map { (TimeSpan(millis: $0.at), $0.text) }
    }

    func note(_ text: String) { latestNote = (now, text) }

    /// Records an operator action taken outside the engine (a redrive started from the console,
    /// which runs it itself) as a live `operator` line at the current drill time. A replay of the
    /// trace repeats it through the engine at that time.
    /// - Parameters:
    ///   - action: `redrive`, `pause`, `resume` or `abort`.
    ///   - details: `dlq`, `runbook`, `ack`, `job`, … as the console knows them.
    public func recordExternal(_ action: String, details: [String: String]) {
        guard !finished else { return }
        var fields: [(String, TraceValue)] = [("action", .string(action)), ("live", .bool(true)), ("source", .string("console"))]
        for (key, value) in details.sorted(by: { $0.key < $1.key }) where !["action", "live", "source"].contains(key) {
            fields.append((key, .string(value)))
        }
        if action == "redrive" {
            for key in ["ack", "limit", "min_age_ms", "max_age_ms"] where details[key] == nil { fields.append((key, .null)) }
            if details["error_types"] == nil { fields.append(("error_types", .array([]))) }
        }
        if let id = details["runbook"], loaded.runbook(id) == nil, !externalRunbooks.contains(id) {
            // The console read it from the drill's runbook folder; the trace keeps its text so a
            // replay can repeat the redrive without the files.
            externalRunbooks.insert(id)
            let library = try? RunbookLibrary.load(directory: drill.runbookDirectory)
            if let runbook = library?.runbook(id: id), let data = FileManager.default.contents(atPath: runbook.sourcePath) {
                trace.emit(now, "runbook", [("id", .string(id)), ("path", .string(runbook.sourcePath)), ("source", .string(String(decoding: data, as: UTF8.self)))])
            }
        }
        trace.emit(now, "operator", fields)
        note("operator (console): \(action) \(details["dlq"] ?? "")" + (details["runbook"].map { " with \($0)" } ?? ""))
    }

    /// The in-memory trace so far (sink `.memory` only).
    public var traceBytes: [UInt8] { trace.bytes }
}
