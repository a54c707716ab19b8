/// A runbook guard: a condition checked before every batch that pauses or aborts the redrive.
public struct RunbookGuard: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What happens when the condition holds.
    public enum Action: String, Sendable, Hashable, Codable {
        /// Stop sending batches until the condition clears, then carry on.
        case pause
        /// Stop the redrive for good.
        case abort

        /// The runbook key: `pause_if` or `abort_if`.
        public var key: String { "\(rawValue)_if" }
    }

    /// Pause or abort.
    public var action: Action
    /// The parsed condition.
    public var condition: GuardCondition
    /// The condition as written in the file, for journals and screens.
    public var sourceText: String
    /// The 1-based file line of the condition (0 when built in code).
    public var line: Int
    /// The 1-based file column of the condition (0 when built in code).
    public var column: Int

    /// Creates a guard.
    public init(action: Action, condition: GuardCondition, sourceText: String? = nil, line: Int = 0, column: Int = 0) {
        self.action = action
        self.condition = condition
        self.sourceText = sourceText ?? condition.description
        self.line = line
        self.column = column
    }

    /// `pause_if: depth(orders) > 1000`.
    public var description: String { "\(action.key): \(condition)" }
}

/// How a guard compares an observation with its threshold.
public enum GuardComparison: String, Sendable, Hashable, Codable, CaseIterable {
    /// `>`
    case greater = ">"
    /// `>=`
    case greaterOrEqual = ">="
    /// `<`
    case less = "<"
    /// `<=`
    case lessOrEqual = "<="
    /// `==`
    case equal = "=="
    /// `!=`
    case notEqual = "!="

    /// Whether `value OP threshold` holds.
    public func holds<T: Comparable>(_ value: T, _ threshold: T) -> Bool {
        switch self {
        case .greater: value > threshold
        case .greaterOrEqual: value >= threshold
        case .less: value < threshold
        case .lessOrEqual: value <= threshold
        case .equal: value == threshold
        case .notEqual: value != threshold
        }
    }
}

/// What a guard watches and the threshold it compares against.
public enum GuardCondition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Visible messages in a queue: `depth(orders) > 1000`.
    case depth(queue: String, GuardComparison, Int)
    /// Messages received but not yet deleted: `in_flight(orders) > 500`.
    case inFlight(queue: String, GuardComparison, Int)
    /// Age of the oldest message in a queue: `oldest_age(orders) > 10m`.
    case oldestAge(queue: String, GuardComparison, TimeSpan)
    /// An alarm's state: `alarm(orders-worker-errors) == ALARM` (only `==` and `!=`).
    case alarm(name: String, GuardComparison, AlarmState)
    /// Redriven messages of this job that came back to the DLQ over messages moved so far, 0...1.
    case returnedRatio(GuardComparison, Double)
    /// Depth of the DLQ being redriven: `dlq_depth < 10`.
    case dlqDepth(GuardComparison, Int)

    /// The metric names a condition can start with.
    public static let metrics = ["depth", "in_flight", "oldest_age", "alarm", "returned_ratio", "dlq_depth"]

    /// The canonical text: `depth(orders) > 1000`.
    public var description: String {
        switch self {
        case let .depth(queue, op, n): "depth(\(queue)) \(op.rawValue) \(n)"
        case let .inFlight(queue, op, n): "in_flight(\(queue)) \(op.rawValue) \(n)"
        case let .oldestAge(queue, op, age): "oldest_age(\(queue)) \(op.rawValue) \(age)"
        case let .alarm(name, op, state): "alarm(\(name)) \(op.rawValue) \(state.rawValue)"
        case let .returnedRatio(op, ratio): "returned_ratio \(op.rawValue) \(formatNumber(ratio))"
        case let .dlqDepth(op, n): "dlq_depth \(op.rawValue) \(n)"
        }
    }

    /// The queue whose depth, in-flight count or oldest age this condition reads, if any.
    public var queue: String? {
        switch self {
        case let .depth(queue, _, _), let .inFlight(queue, _, _), let .oldestAge(queue, _, _): queue
        default: nil
        }
    }

    /// The alarm this condition reads, if any.
    public var alarmName: String? {
        if case let .alarm(name, _, _) = self { return name }
        return nil
    }
}
