import Synchronization

/// How callers steer a running redrive: pause, resume, abort, or stop between batches.
///
/// The runner polls it between batches and while it waits, so a request takes effect before
/// the next batch, never in the middle of one.
public final class RedriveControl: Sendable {
    /// What the caller asked for.
    public enum Request: Sendable, Equatable {
        case none
        case pause
        /// Stop for good (not resumable).
        case abort(reason: String)
        /// Stop between batches and leave the job resumable (SIGHUP, quitting the console).
        case stop(reason: String)
    }

    private let request = Mutex(Request.none)

    public init() {}

    /// The pending request.
    public var current: Request { request.withLock { $0 } }

    /// Pauses before the next batch.
    public func pause() {
        request.withLock { if $0 == .none { $0 = .pause } }
    }

    /// Resumes a paused job.
    public func resume() {
        request.withLock { if $0 == .pause { $0 = .none } }
    }

    /// Aborts; the job ends in state `aborted`.
    public func abort(reason: String) {
        request.withLock { $0 = .abort(reason: reason) }
    }

    /// Stops between batches; the job ends in state `interrupted` and can be resumed.
    public func stop(reason: String) {
        request.withLock { current in
            if case .abort = current { return }
            current = .stop(reason: reason)
        }
    }
}
