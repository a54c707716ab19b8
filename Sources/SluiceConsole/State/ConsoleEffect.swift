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
        case .redraw: "redrawing"
        case .quit: "quitting"
        }
    }
}
