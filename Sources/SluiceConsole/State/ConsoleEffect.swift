import SluiceCore

/// Work the console asks for: the effect runner does it asynchronously against the backend and
/// posts the result back as a ``ConsoleEvent``. Effects are values so tests can assert them.
public enum ConsoleEffect: Sendable, Hashable {
    /// Read the queue list.
    case loadQueues
    /// Read every queue's stats and evaluate alarms.
    case loadStats
    /// Count a DLQ's messages by error type within the filter's age window.
    case loadFacets(queue: String, filter: MessageFilter, generation: Int)
    /// Read one page of a DLQ listing.
    case loadPage(queue: String, filter: MessageFilter, cursor: String?, page: Int, limit: Int, generation: Int)
    /// Read one message in full.
    case loadMessage(queue: String, id: String)
    /// Read the newest journal entries.
    case loadJournal(limit: Int)
    /// Read the runbook folder and keep the runbooks that apply to `dlq`.
    case loadRunbooks(dlq: String)
    /// Make a plan (nothing changes): the DLQ, the operator's filter, the marked ids (all when
    /// empty), under runbook `runbookId` of the folder.
    case planRedrive(dlq: String, runbookId: String, filter: MessageFilter, selection: Set<String>, generation: Int)
    /// A plan was dropped unconfirmed: let go of what planning holds (an SQS scan lease).
    case releasePlan(jobId: String)
    /// Save the confirmed plan as a job and run it in the background.
    case startRedrive(RedrivePlan, ack: String?)
    /// Pause, resume or abort a job this console runs.
    case controlRedrive(jobId: String, JobControl)
    /// Read the simulation's status for the header.
    case loadSimulation
    /// Steer the simulation's virtual time.
    case simulation(SimulationCommand)
    /// Repaint the whole terminal (ctrl-l).
    case redraw
    /// Leave the console.
    case quit

    /// A short name for error messages: `loading the stats`.
    public var summary: String {
        switch self {
        case .loadQueues: "loading the queue list"
        case .loadStats: "loading the stats"
        case .loadFacets(let q, _, _): "counting \(q) by error type"
        case .loadPage(let q, _, _, let page, _, _): "loading page \(page + 1) of \(q)"
        case .loadMessage(let q, let id): "loading message \(id) of \(q)"
        case .loadJournal: "loading the journal"
        case .loadRunbooks: "reading the runbooks"
        case .planRedrive(let q, let id, _, _, _): "planning a redrive of \(q) with runbook \(id)"
        case .releasePlan(let id): "releasing plan \(id)"
        case .startRedrive(let plan, _): "starting redrive \(plan.jobId)"
        case .controlRedrive(let id, let control): "\(control.verb) redrive \(id)"
        case .loadSimulation: "reading the simulation"
        case .simulation: "steering the simulation"
        case .redraw: "redrawing"
        case .quit: "quitting"
        }
    }
}

/// What the operator asks of a running redrive job.
public enum JobControl: Sendable, Hashable {
    case pause
    case resume
    /// Stop for good (not resumable), with the reason the journal records.
    case abort(reason: String)

    /// `pausing`, for messages.
    public var verb: String {
        switch self {
        case .pause: "pausing"
        case .resume: "resuming"
        case .abort: "aborting"
        }
    }
}

/// What the operator asks of a simulation's virtual time.
public enum SimulationCommand: Sendable, Hashable {
    case setPaused(Bool)
    case step
    case setSpeed(Int)
}
