import Synchronization

/// Watches queues: keeps each queue's metric series, evaluates alarms on every snapshot, and
/// answers what the dashboard, guards and drills ask (statuses, transitions, sparklines, rates).
///
/// It never polls: the console and the drill engine call ``ingest(_:at:)`` on their own clocks,
/// which is what makes drills deterministic. A `final class` with a `Mutex` rather than an actor
/// so that synchronous code (the pure console update loop's effects, the drill's event loop) can
/// call it without hopping executors.
public final class Monitor: Sendable {
    /// The least time between two kept samples of a queue.
    public let sampleInterval: TimeSpan
    /// How much history each queue keeps (at least what the alarms need).
    public let retention: TimeSpan
    /// Transitions kept for ``transitions(since:)``; older ones are dropped (and counted).
    public static let transitionLogCapacity = 10_000
    /// The most samples one queue keeps, whatever `retention` says.
    public static let maxSamplesPerQueue = 50_000

    private struct State: Sendable {
        var definitions: [AlarmDefinition] = []
        var series: [String: MetricSeries] = [:]
        var statuses: [String: AlarmStatus] = [:]
        var log = RingBuffer<AlarmTransition>(capacity: Monitor.transitionLogCapacity)
        /// Transitions ever emitted; the cursor of the next one.
        var emitted = 0
    }

    private let state: Mutex<State>
    private let evaluator = AlarmEvaluator()

    /// Creates a monitor.
    /// - Parameters:
    ///   - definitions: the alarms to evaluate (see ``AlarmDefinition/defaults(for:)``).
    ///   - sampleInterval: snapshots closer together than this update the latest numbers only.
    ///   - retention: history kept per queue for sparklines and rates.
    public init(definitions: [AlarmDefinition] = [], sampleInterval: TimeSpan = .seconds(10), retention: TimeSpan = .hours(2)) {
        self.sampleInterval = max(sampleInterval, TimeSpan(millis: 1))
        self.retention = retention
        var initial = State()
        initial.definitions = definitions
        state = Mutex(initial)
    }

    /// The alarms being evaluated, in the order given.
    public var definitions: [AlarmDefinition] { state.withLock { $0.definitions } }

    /// Replaces the alarms. An alarm whose definition did not change keeps its status; a new or
    /// changed one starts over at `INSUFFICIENT_DATA` on the next evaluation.
    public func setDefinitions(_ definitions: [AlarmDefinition]) {
        state.withLock { s in
            let old = Dictionary(s.definitions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for d in definitions where old[d.name] != d { s.statuses[d.name] = nil }
            let kept = Set(definitions.map(\.name))
            for name in s.statuses.keys where !kept.contains(name) { s.statuses[name] = nil }
            s.definitions = definitions
            let needed = capacity(for: definitions)
            for name in s.series.keys { s.series[name]!.reserve(capacity: needed) }
        }
    }

    /// Records a snapshot of some queues and evaluates every alarm.
    /// - Parameters:
    ///   - stats: the numbers, usually `backend.stats(for: nil)`.
    ///   - now: the evaluation time; the newest snapshot's time when nil.
    /// - Returns: the alarm transitions this evaluation caused, in definition order.
    @discardableResult
    public func ingest(_ stats: [QueueStats], at now: Timestamp? = nil) -> [AlarmTransition] {
        state.withLock { s in
            let needed = capacity(for: s.definitions)
            for snapshot in stats {
                if s.series[snapshot.queue] == nil {
                    s.series[snapshot.queue] = MetricSeries(queue: snapshot.queue, capacity: needed, minimumSpacing: sampleInterval)
                }
                s.series[snapshot.queue]!.record(snapshot)
            }
            guard let time = now ?? stats.map(\.at).max() else { return [] }
            return evaluate(&s, at: time)
        }
    }

    /// Evaluates every alarm at `now` without new data (time passing can change states).
    @discardableResult
    public func evaluate(at now: Timestamp) -> [AlarmTransition] {
        state.withLock { evaluate(&$0, at: now) }
    }

    private func evaluate(_ s: inout State, at now: Timestamp) -> [AlarmTransition] {
        var out: [AlarmTransition] = []
        for d in s.definitions {
            let current = s.statuses[d.name] ?? .initial(at: now)
            let next = evaluator.evaluate(d, series: s.series[d.queue], current: current, now: now)
            s.statuses[d.name] = next
            if next.state != current.state {
                let t = AlarmTransition(name: d.name, queue: d.queue, severity: d.severity, from: current.state, to: next.state, at: now, reason: next.reason)
                out.append(t)
                s.log.append(t)
                s.emitted += 1
            }
        }
        return out
    }

    private func capacity(for definitions: [AlarmDefinition]) -> Int {
        let lookback = definitions.map(\.lookback).max() ?? .zero
        let span = max(retention, lookback + sampleInterval)
        return min(Monitor.maxSamplesPerQueue, Int(span.millis / sampleInterval.millis) + 2)
    }

    // MARK: Reading

    /// Every alarm with its status, in definition order (not yet evaluated → nil status).
    public func alarms() -> [(definition: AlarmDefinition, status: AlarmStatus?)] {
        state.withLock { s in s.definitions.map { ($0, s.statuses[$0.name]) } }
    }

    /// The named alarm's status; nil when unknown or not yet evaluated.
    public func status(of name: String) -> AlarmStatus? {
        state.withLock { $0.statuses[name] }
    }

    /// Transitions from cursor `cursor` on (0 is the first ever), and the cursor to pass next.
    /// `dropped` counts transitions that fell out of the bounded log before being read.
    public func transitions(since cursor: Int) -> (transitions: [AlarmTransition], next: Int, dropped: Int) {
        state.withLock { s in
            let oldest = s.emitted - s.log.count
            let from = max(cursor, oldest)
            guard from < s.emitted else { return ([], s.emitted, max(0, oldest - cursor)) }
            let items = (from - oldest..<s.log.count).map { s.log[$0] }
            return (items, s.emitted, max(0, oldest - cursor))
        }
    }

    /// Queues seen so far, sorted.
    public var queues: [String] { state.withLock { $0.series.keys.sorted() } }

    /// A copy of one queue's series.
    public func series(for queue: String) -> MetricSeries? { state.withLock { $0.series[queue] } }

    /// The newest snapshot of a queue.
    public func latest(_ queue: String) -> QueueStats? { state.withLock { $0.series[queue]?.latest } }

    /// The last `count` buckets of a metric, oldest first (see ``MetricSeries/sparkline(_:statistic:bucket:count:now:)``).
    /// - Parameter now: defaults to the queue's newest snapshot time.
    public func sparkline(queue: String, metric: QueueMetric, statistic: AlarmStatistic? = nil, bucket: TimeSpan, count: Int, now: Timestamp? = nil) -> [Double?] {
        state.withLock { s in
            guard let series = s.series[queue], let time = now ?? series.latest?.at else { return Array(repeating: nil, count: max(0, count)) }
            return series.sparkline(metric, statistic: statistic, bucket: bucket, count: count, now: time)
        }
    }

    /// Per-second rates of what went in, out and wrong over the last `window`.
    /// - Parameter now: defaults to the queue's newest snapshot time.
    public func rates(queue: String, window: TimeSpan = .minutes(1), now: Timestamp? = nil) -> QueueRates? {
        state.withLock { s in
            guard let series = s.series[queue], let time = now ?? series.latest?.at else { return nil }
            return QueueRates(
                window: window,
                sent: series.rate(of: .sent, over: window, now: time),
                received: series.rate(of: .received, over: window, now: time),
                deleted: series.rate(of: .deleted, over: window, now: time),
                failed: series.rate(of: .failed, over: window, now: time),
                deadLettered: series.rate(of: .deadLettered, over: window, now: time))
        }
    }
}

/// A queue's event rates in messages per second; nil where the backend keeps no counters or
/// there are not yet two samples.
public struct QueueRates: Sendable, Hashable {
    /// The window the rates were measured over.
    public var window: TimeSpan
    /// Messages in (sent to the queue).
    public var sent: Double?
    public var received: Double?
    /// Messages out (deleted after processing).
    public var deleted: Double?
    public var failed: Double?
    public var deadLettered: Double?

    /// Creates rates.
    public init(window: TimeSpan, sent: Double?, received: Double?, deleted: Double?, failed: Double?, deadLettered: Double?) {
        self.window = window
        self.sent = sent
        self.received = received
        self.deleted = deleted
        self.failed = failed
        self.deadLettered = deadLettered
    }
}
