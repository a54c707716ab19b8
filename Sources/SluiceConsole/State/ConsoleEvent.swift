import SluiceCore

/// Everything that can happen to the console: keys, resizes, time passing, and the results of
/// effects. ``ConsoleState/apply(_:)`` turns each into a new state and more effects.
public enum ConsoleEvent: Sendable {
    /// A key press.
    case key(Key)
    /// The terminal changed size.
    case resize(Size)
    /// Time passed (about twice a second): polls and countdowns move on.
    case tick(Timestamp)
    /// The queue list was read.
    case queuesLoaded([QueueInfo])
    /// A stats poll finished.
    case statsLoaded(MonitorReport)
    /// A DLQ's facet counts were read (for the request made at `generation`).
    case facetsLoaded(queue: String, generation: Int, FacetCounts)
    /// A page of a DLQ listing was read.
    case pageLoaded(queue: String, generation: Int, page: Int, messages: [MessageSummary], nextCursor: String?)
    /// One message was read in full (nil when it is gone).
    case messageLoaded(queue: String, id: String, QueueMessage?)
    /// Journal entries were read, oldest first.
    case journalLoaded([JournalEntry])
    /// The runbooks that apply to a DLQ were read.
    case runbooksLoaded(dlq: String, RunbookChoices)
    /// A redrive plan was made (for the request made at `generation`).
    case planMade(generation: Int, RedrivePlan)
    /// A job this console runs reported a step.
    case redrive(jobId: String, RedriveEvent)
    /// A job's run ended by an error (it is left interrupted and resumable).
    case redriveFailed(jobId: String, SluiceError)
    /// The simulation's status was read.
    case simulationLoaded(SimulationStatus)
    /// An effect failed.
    case failed(ConsoleEffect, SluiceError)
    /// The process got a termination signal (SIGINT, SIGTERM, SIGHUP): stop cleanly.
    case terminate(signal: Int32)
}
