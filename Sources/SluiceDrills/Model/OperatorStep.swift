import SluiceCore

/// Something the operator does at a drill time (from the file) or live in the console.
public struct OperatorStep: Sendable, Hashable {
    public var at: TimeSpan
    public var action: OperatorAction
    /// The file line of the step (0 when built in code or taken live).
    public var line: Int

    /// Creates a step.
    public init(at: TimeSpan, action: OperatorAction, line: Int = 0) {
        self.at = at
        self.action = action
        self.line = line
    }
}

/// What an operator does to the system during a drill.
public enum OperatorAction: Sendable, Hashable, CustomStringConvertible {
    /// Plans and runs a redrive of a DLQ with a runbook (the plan freezes the selection then).
    case redrive(dlq: String, runbook: String, ack: String?, filter: MessageFilter, limit: Int?)
    /// Pauses the running redrive of a DLQ.
    case pause(dlq: String)
    /// Resumes a paused redrive of a DLQ.
    case resume(dlq: String)
    /// Aborts the running redrive of a DLQ.
    case abort(dlq: String, reason: String)

    /// The runbook a redrive uses.
    public var runbookId: String? {
        if case let .redrive(_, runbook, _, _, _) = self { return runbook }
        return nil
    }

    /// The DLQ acted on.
    public var dlq: String {
        switch self {
        case let .redrive(dlq, _, _, _, _), let .pause(dlq), let .resume(dlq), let .abort(dlq, _): dlq
        }
    }

    /// The verb: `redrive`, `pause`, `resume`, `abort`.
    public var verb: String {
        switch self {
        case .redrive: "redrive"
        case .pause: "pause"
        case .resume: "resume"
        case .abort: "abort"
        }
    }

    /// `redrive orders-dlq with downstream-timeout`.
    public var description: String {
        switch self {
        case let .redrive(dlq, runbook, _, _, _): "redrive \(dlq) with \(runbook)"
        case let .pause(dlq): "pause the redrive of \(dlq)"
        case let .resume(dlq): "resume the redrive of \(dlq)"
        case let .abort(dlq, reason): "abort the redrive of \(dlq) (\(reason))"
        }
    }
}
