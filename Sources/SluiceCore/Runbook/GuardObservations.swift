/// What the redrive engine knows about the world just before a batch: the inputs of every guard.
///
/// A missing entry means "not observed"; a guard that needs it reports "unknown" rather than
/// guessing a value.
public struct GuardObservations: Sendable, Hashable, Codable {
    /// Visible messages by queue name.
    public var depth: [String: Int]
    /// In-flight (received, not deleted) messages by queue name.
    public var inFlight: [String: Int]
    /// Age of the oldest message by queue name.
    public var oldestAge: [String: TimeSpan]
    /// Alarm state by alarm name.
    public var alarms: [String: AlarmState]
    /// Redriven messages of this job that came back to the DLQ over messages moved so far;
    /// nil before anything has been moved.
    public var returnedRatio: Double?
    /// Depth of the DLQ being redriven.
    public var dlqDepth: Int?

    /// Creates observations; everything defaults to "not observed".
    public init(
        depth: [String: Int] = [:],
        inFlight: [String: Int] = [:],
        oldestAge: [String: TimeSpan] = [:],
        alarms: [String: AlarmState] = [:],
        returnedRatio: Double? = nil,
        dlqDepth: Int? = nil
    ) {
        self.depth = depth
        self.inFlight = inFlight
        self.oldestAge = oldestAge
        self.alarms = alarms
        self.returnedRatio = returnedRatio
        self.dlqDepth = dlqDepth
    }
}

/// One guard's outcome against one set of observations.
public struct GuardVerdict: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Whether the guard fires.
    public enum State: String, Sendable, Hashable, Codable {
        /// The condition holds: pause or abort.
        case tripped
        /// The condition does not hold.
        case clear
        /// An observation was missing; treated as not tripped, but shown to the operator.
        case unknown
    }

    /// The guard that was evaluated.
    public var runbookGuard: RunbookGuard
    /// Tripped, clear or unknown.
    public var state: State
    /// Why, with the observed value: `depth(orders) = 1312 > 1000`.
    public var reason: String

    /// Creates a verdict.
    public init(runbookGuard: RunbookGuard, state: State, reason: String) {
        self.runbookGuard = runbookGuard
        self.state = state
        self.reason = reason
    }

    /// Whether the guard fires.
    public var isTripped: Bool { state == .tripped }

    /// `pause: depth(orders) = 1312 > 1000`.
    public var description: String { "\(runbookGuard.action.rawValue) \(state.rawValue): \(reason)" }
}

/// All guards of a runbook evaluated together, and what the engine should do about it.
public struct GuardReport: Sendable, Hashable, Codable {
    /// What the next batch should do.
    public enum Decision: String, Sendable, Hashable, Codable {
        /// No guard tripped: send the batch.
        case proceed
        /// A pause guard tripped (and no abort guard): wait and evaluate again.
        case pause
        /// An abort guard tripped: stop the redrive.
        case abort
    }

    /// Each guard's verdict, in runbook order.
    public var verdicts: [GuardVerdict]

    /// Creates a report from verdicts.
    public init(verdicts: [GuardVerdict]) { self.verdicts = verdicts }

    /// Abort wins over pause; unknown never trips.
    public var decision: Decision {
        if verdicts.contains(where: { $0.isTripped && $0.runbookGuard.action == .abort }) { return .abort }
        if verdicts.contains(where: { $0.isTripped }) { return .pause }
        return .proceed
    }

    /// The verdict behind the decision: the first tripped abort guard, else the first tripped pause guard.
    public var deciding: GuardVerdict? {
        verdicts.first { $0.isTripped && $0.runbookGuard.action == .abort } ?? verdicts.first(where: \.isTripped)
    }

    /// Guards that could not be evaluated for lack of data.
    public var unknown: [GuardVerdict] { verdicts.filter { $0.state == .unknown } }
}

extension RunbookGuard {
    /// Evaluates this guard against observations. Pure: same observations, same verdict.
    public func evaluate(_ obs: GuardObservations) -> GuardVerdict {
        func compare<T: Comparable>(_ subject: String, _ value: T?, _ op: GuardComparison, _ threshold: T, _ show: (T) -> String) -> GuardVerdict {
            guard let value else {
                return GuardVerdict(runbookGuard: self, state: .unknown, reason: "\(subject) is unknown (not observed)")
            }
            if op.holds(value, threshold) {
                return GuardVerdict(runbookGuard: self, state: .tripped, reason: "\(subject) = \(show(value)) \(op.rawValue) \(show(threshold))")
            }
            return GuardVerdict(runbookGuard: self, state: .clear, reason: "\(subject) = \(show(value)), not \(op.rawValue) \(show(threshold))")
        }
        switch condition {
        case let .depth(queue, op, n):
            return compare("depth(\(queue))", obs.depth[queue], op, n, String.init)
        case let .inFlight(queue, op, n):
            return compare("in_flight(\(queue))", obs.inFlight[queue], op, n, String.init)
        case let .oldestAge(queue, op, age):
            return compare("oldest_age(\(queue))", obs.oldestAge[queue], op, age, \.compact)
        case let .dlqDepth(op, n):
            return compare("dlq_depth", obs.dlqDepth, op, n, String.init)
        case let .returnedRatio(op, ratio):
            return compare("returned_ratio", obs.returnedRatio, op, ratio, formatNumber)
        case let .alarm(name, op, state):
            let subject = "alarm(\(name))"
            guard let observed = obs.alarms[name] else {
                return GuardVerdict(runbookGuard: self, state: .unknown, reason: "\(subject) is unknown (no such alarm observed)")
            }
            let holds = op == .equal ? observed == state : observed != state
            // Say what was expected only when it differs from what was seen.
            let detail = observed == state ? "" : ", not \(state.rawValue)"
            return GuardVerdict(runbookGuard: self, state: holds ? .tripped : .clear,
                                reason: "\(subject) is \(observed.rawValue)\(detail)")
        }
    }
}

extension Collection where Element == RunbookGuard {
    /// Evaluates every guard; see ``GuardReport/decision``.
    public func evaluate(_ obs: GuardObservations) -> GuardReport {
        GuardReport(verdicts: map { $0.evaluate(obs) })
    }
}
