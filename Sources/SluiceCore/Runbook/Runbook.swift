/// A parsed, validated runbook: which DLQs it covers, what it selects, how fast it moves, what it
/// does per error type, and when it stops.
///
/// Only ``RunbookParser`` (in SluiceRunbooks) builds these from files, and only from files with
/// no errors; tests and the engine may build them in code.
public struct Runbook: Sendable, Hashable, Codable, Identifiable {
    /// Kebab-case identifier, unique in a runbook folder: `downstream-timeout`.
    public var id: String
    /// One line for menus: the `title` key, else the first Markdown heading, else the id.
    public var title: String
    /// The file it was read from (empty when built in code).
    public var sourcePath: String
    /// Queue-name globs (`*`, `?`) of the DLQs this runbook applies to.
    public var dlqPatterns: [String]
    /// What the runbook selects; it can only narrow the operator's filter.
    public var filter: MessageFilter
    /// Pacing: batch size, jitter, rate and message caps.
    public var batch: RunbookBatch
    /// Strategy per error type. Unlisted types are skipped.
    public var strategies: [String: RedriveStrategy]
    /// An explicit target queue, for DLQs whose source is not a queue (Lambda async DLQs).
    public var destination: String?
    /// The delivery delay `retry-later` applies, at most 15 minutes (SQS's maximum).
    public var retryDelay: TimeSpan
    /// Checked before every batch, in file order.
    public var guards: [RunbookGuard]
    /// Whether the operator must type what was fixed before the redrive starts.
    public var requireRootCauseAck: Bool
    /// The Markdown after the front matter, shown beside the live metrics.
    public var prose: String
    /// Warnings found while reading the file (the runbook was accepted).
    public var warnings: [RunbookDiagnostic]

    /// The default delivery delay of `retry-later`.
    public static let defaultRetryDelay = TimeSpan.minutes(5)

    /// Creates a runbook; every argument but `id`, `dlqPatterns` and `strategies` has the file
    /// format's default.
    public init(
        id: String,
        title: String? = nil,
        sourcePath: String = "",
        dlqPatterns: [String],
        filter: MessageFilter = .all,
        batch: RunbookBatch = .defaults,
        strategies: [String: RedriveStrategy],
        destination: String? = nil,
        retryDelay: TimeSpan = Runbook.defaultRetryDelay,
        guards: [RunbookGuard] = [],
        requireRootCauseAck: Bool = false,
        prose: String = "",
        warnings: [RunbookDiagnostic] = []
    ) {
        self.id = id
        self.title = title ?? id
        self.sourcePath = sourcePath
        self.dlqPatterns = dlqPatterns
        self.filter = filter
        self.batch = batch
        self.strategies = strategies
        self.destination = destination
        self.retryDelay = min(retryDelay, RunbookBatch.maxRetryDelay)
        self.guards = guards
        self.requireRootCauseAck = requireRootCauseAck
        self.prose = prose
        self.warnings = warnings
    }

    /// Discards always need the count typed back; no runbook can turn that off.
    public var requireDiscardConfirmation: Bool { true }

    /// Whether one of the `dlq` globs matches the queue name.
    public func appliesTo(queue: String) -> Bool {
        dlqPatterns.contains { QueueGlob.matches($0, queue) }
    }

    /// The strategy for an error type; `skip` for every type the runbook does not list.
    public func strategy(for errorType: String) -> RedriveStrategy {
        strategies[errorType] ?? .skip
    }

    /// Whether any listed strategy deletes messages.
    public var discards: Bool { strategies.values.contains(.discard) }

    /// Queues the guards read depth, in-flight or oldest age of: what the engine must observe.
    public var observedQueues: Set<String> { Set(guards.compactMap(\.condition.queue)) }

    /// Alarms the guards read.
    public var observedAlarms: Set<String> { Set(guards.compactMap(\.condition.alarmName)) }

    /// Evaluates every guard before a batch; see ``GuardReport/decision``.
    public func evaluateGuards(_ obs: GuardObservations) -> GuardReport {
        guards.evaluate(obs)
    }
}
