/// An alarm's state, spelled as CloudWatch spells it.
public enum AlarmState: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case ok = "OK"
    case alarm = "ALARM"
    case insufficientData = "INSUFFICIENT_DATA"

    public var description: String { rawValue }
}

/// Where an alarm stands: its state, since when, and why it last changed.
public struct AlarmStatus: Sendable, Hashable, Codable {
    public var state: AlarmState
    /// When the state last changed (or the alarm was created).
    public var since: Timestamp
    /// Why it last changed, in CloudWatch's words.
    public var reason: String
    /// When it was last evaluated.
    public var evaluatedAt: Timestamp

    /// Creates a status.
    public init(state: AlarmState, since: Timestamp, reason: String, evaluatedAt: Timestamp? = nil) {
        self.state = state
        self.since = since
        self.reason = reason
        self.evaluatedAt = evaluatedAt ?? since
    }

    /// A new alarm: `INSUFFICIENT_DATA` until its first evaluation decides.
    public static func initial(at time: Timestamp) -> AlarmStatus {
        AlarmStatus(state: .insufficientData, since: time, reason: "Unchecked: Initial alarm creation")
    }
}

/// One state change of one alarm.
public struct AlarmTransition: Sendable, Hashable, Codable {
    /// The alarm's name.
    public var name: String
    /// The queue it watches.
    public var queue: String
    public var severity: AlarmSeverity
    public var from: AlarmState
    public var to: AlarmState
    /// When it changed.
    public var at: Timestamp
    public var reason: String

    /// Creates a transition.
    public init(name: String, queue: String, severity: AlarmSeverity, from: AlarmState, to: AlarmState, at: Timestamp, reason: String) {
        self.name = name
        self.queue = queue
        self.severity = severity
        self.from = from
        self.to = to
        self.at = at
        self.reason = reason
    }
}
