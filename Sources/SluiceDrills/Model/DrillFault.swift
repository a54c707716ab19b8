import SluiceCore

/// Something that goes wrong at a point of the drill's timeline.
public struct DrillFault: Sendable, Hashable, CustomStringConvertible {
    /// How a broken downstream call behaves.
    public enum CallFailure: String, Sendable, Hashable, CaseIterable {
        /// The call hangs: the invocation runs into its timeout and the whole batch comes back.
        case hang
        /// The downstream did the work but the reply never came: a side effect happened, then
        /// the invocation times out, so a retry repeats the call (at-least-once duplicates).
        case lostReply = "lost-reply"
        /// The call fails fast with the fault's error type.
        case error
    }

    /// What goes wrong.
    public enum Kind: Sendable, Hashable {
        /// The worker's downstream fails for a fraction of calls (`outage:` / `throttle:`); with
        /// `perMessage`, the fraction is of messages, each failing on every attempt (a bad deploy
        /// that cannot handle some payloads), rather than of calls at random (throttling).
        case downstream(worker: String, failure: CallFailure, ratio: Double, errorType: String, perMessage: Bool = false)
        /// `count` messages no worker can process are sent to a queue.
        case poison(queue: String, count: Int, errorType: String)
        /// The worker dies: running invocations stop where they are (messages stay in flight, claims
        /// stay INPROGRESS) and it polls again when the fault ends.
        case crash(worker: String)
        /// Records take `processing` instead (optionally only a tenant's, only the next `count`).
        case slow(worker: String, processing: TimeSpan, tenant: String?, count: Int?)
    }

    public var at: TimeSpan
    /// How long it lasts; nil for instant faults (poison) or to the end of the drill.
    public var length: TimeSpan?
    public var kind: Kind

    /// Creates a fault.
    public init(at: TimeSpan, length: TimeSpan? = nil, kind: Kind) {
        self.at = at
        self.length = length
        self.kind = kind
    }

    /// Whether the fault is in effect at drill time `t`.
    public func isActive(at t: TimeSpan) -> Bool {
        t >= at && (length.map { t < at + $0 } ?? true)
    }

    /// The worker it affects, if any.
    public var worker: String? {
        switch kind {
        case let .downstream(worker, _, _, _, _), let .crash(worker), let .slow(worker, _, _, _): worker
        case .poison: nil
        }
    }

    /// `outage of order-worker (hang, Timeout) at 5m for 8m`.
    public var description: String {
        let when = "at \(at)" + (length.map { " for \($0)" } ?? "")
        switch kind {
        case let .downstream(worker, failure, ratio, type, perMessage):
            let share = ratio < 1 ? " on \(Int((ratio * 100).rounded()))% of \(perMessage ? "messages" : "calls")" : ""
            return "downstream failure of \(worker) (\(failure.rawValue), \(type))\(share) \(when)"
        case let .poison(queue, count, type):
            return "\(count) poison messages (\(type)) into \(queue) \(when)"
        case let .crash(worker):
            return "crash of \(worker) \(when)"
        case let .slow(worker, processing, tenant, count):
            let scope = (tenant.map { " for tenant \($0)" } ?? "") + (count.map { ", next \($0) records" } ?? "")
            return "\(worker) slowed to \(processing) per record\(scope) \(when)"
        }
    }
}
