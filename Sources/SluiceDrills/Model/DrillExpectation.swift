import SluiceCore

/// A number the drill counts, usable in expectations and shown in the report.
public enum DrillCounter: String, Sendable, Hashable, CaseIterable, Codable {
    /// Distinct messages (idempotency keys) the producers and poison faults created.
    case produced
    /// Send calls' messages, duplicates included.
    case sent
    /// Distinct messages whose side effect happened at least once.
    case processed
    /// Side effects in total.
    case sideEffects = "side_effects"
    /// Side effects beyond the first per message: what idempotency must keep at 0.
    case duplicateSideEffects = "duplicate_side_effects"
    /// Records the idempotency store recognised as already done.
    case duplicatesSuppressed = "duplicates_suppressed"
    /// Messages gone without a side effect, not discarded by a redrive and not in any queue.
    case lost
    /// Processable (non-poison) messages that never got their side effect.
    case unprocessed
    /// Poison messages a worker received again after a redrive moved them.
    case poisonRequeued = "poison_requeued"
    /// Records a worker failed (every attempt counts).
    case failures
    /// Invocations killed by their timeout.
    case timeouts
    /// Messages moved to a DLQ by the redrive policy.
    case deadLettered = "dead_lettered"
    /// Messages redrives moved back.
    case redriven
    /// Messages redrives deleted (discard strategy).
    case discarded

    /// The name as written in drill files.
    public var name: String { rawValue }
}

/// A check the drill makes at the end; `line` points back at the file.
public struct DrillExpectation: Sendable, Hashable, CustomStringConvertible {
    /// What is checked.
    public enum Kind: Sendable, Hashable {
        /// The alarm goes to ALARM between `after` and `after + within`; with `clearsWithin`, it
        /// leaves ALARM no later than that after firing.
        case alarmFires(alarm: String, within: TimeSpan, after: TimeSpan, clearsWithin: TimeSpan?)
        /// The alarm never goes to ALARM.
        case alarmNever(alarm: String)
        /// A counter stays within bounds.
        case counter(DrillCounter, min: Int?, max: Int?)
        /// At the end the DLQ holds only these error types (or nothing, when empty).
        case dlqOnly(queue: String, errorTypes: [String])
        /// A redrive with this runbook was paused by one of its guards at least once.
        case guardPaused(runbook: String)
        /// The last redrive with this runbook ended in this state.
        case redriveEnds(runbook: String, state: RedriveJobState)
        /// The given percentile of send-to-side-effect latency of messages sent to the matching
        /// queues stays at or below `below`.
        case latency(queues: String, percentile: Double, below: TimeSpan)
    }

    public var kind: Kind
    /// The file line of the expectation (0 when built in code).
    public var line: Int

    /// Creates an expectation.
    public init(_ kind: Kind, line: Int = 0) {
        self.kind = kind
        self.line = line
    }

    /// `alarm orders-dlq-not-empty fires within 10m`, `lost <= 0`.
    public var description: String {
        switch kind {
        case let .alarmFires(alarm, within, after, clears):
            var text = "alarm \(alarm) fires within \(within)" + (after > .zero ? " after \(after)" : "")
            if let clears { text += " and clears within \(clears)" }
            return text
        case let .alarmNever(alarm):
            return "alarm \(alarm) never fires"
        case let .counter(counter, min, max):
            switch (min, max) {
            case let (lo?, hi?) where lo == hi: return "\(counter.name) = \(lo)"
            case let (lo?, hi?): return "\(counter.name) between \(lo) and \(hi)"
            case let (lo?, nil): return "\(counter.name) >= \(lo)"
            case let (nil, hi?): return "\(counter.name) <= \(hi)"
            case (nil, nil): return "\(counter.name) is counted"
            }
        case let .dlqOnly(queue, types):
            return types.isEmpty ? "\(queue) ends empty" : "\(queue) ends holding only \(types.joined(separator: ", "))"
        case let .guardPaused(runbook):
            return "a guard of \(runbook) paused its redrive"
        case let .redriveEnds(runbook, state):
            return "the redrive with \(runbook) ends \(state.rawValue)"
        case let .latency(queues, percentile, below):
            return "p\(percentile == percentile.rounded() ? String(Int(percentile)) : String(percentile)) latency of \(queues) <= \(below)"
        }
    }
}
