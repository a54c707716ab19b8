/// What a runbook does with the DLQ messages of one error type.
///
/// A message whose error type has no strategy in the runbook is skipped: it stays in the DLQ.
/// There is deliberately no wildcard, so a new kind of failure is never moved by accident.
public enum RedriveStrategy: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Move the message back to its source (or the runbook's destination) now.
    case requeue
    /// Move the message back with a delivery delay of the runbook's `retry_delay`.
    case retryLater = "retry-later"
    /// Delete the message, after typed confirmation, with a journal entry.
    case discard
    /// Leave the message in the DLQ.
    case skip

    /// The spelling used in runbook files, e.g. `retry-later`.
    public var description: String { rawValue }

    /// Whether the strategy takes the message out of the DLQ onto a queue.
    public var moves: Bool { self == .requeue || self == .retryLater }
}
