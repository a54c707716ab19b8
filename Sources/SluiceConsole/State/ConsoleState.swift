import SluiceCore

/// The screens of the console.
public enum Screen: Sendable, Hashable {
    case dashboard
    case browser
    case message
    case journal
    /// The redrive dialog: runbook, plan, acknowledgement, confirmation.
    case redrive
    /// A redrive job's live progress.
    case progress
}

/// A message in the status line that fades after a while.
public struct Notice: Sendable, Hashable {
    public enum Level: Sendable, Hashable { case info, warning, error }
    public var text: String
    public var level: Level
    /// How many ticks it stays.
    public var ticksLeft: Int

    public init(_ text: String, level: Level = .info, ticks: Int = 10) {
        self.text = text
        self.level = level
        self.ticksLeft = ticks
    }
}

/// A line of the dashboard's recent-events tail.
public struct EventLine: Sendable, Hashable {
    public var at: Timestamp
    public var text: String
    /// Whether it needs attention (an alarm, an error): shown bold.
    public var isAlert: Bool

    public init(at: Timestamp, text: String, isAlert: Bool = false) {
        self.at = at
        self.text = text
        self.isAlert = isAlert
    }
}

/// Everything the console shows, as a value: ``apply(_:)`` changes it, ``ConsoleView`` draws it.
public struct ConsoleState: Sendable {
    /// The backend, as the header names it.
    public var backendLabel: String
    /// Whether every change is refused.
    public var isReadOnly: Bool
    /// The latest time seen, on the backend's clock.
    public var now: Timestamp
    /// The terminal size.
    public var size: Size
    /// The screen shown.
    public var screen: Screen = .dashboard
    /// Screens to go back to with `esc`.
    public var history: [Screen] = []
    /// Whether the help overlay is open.
    public var showsHelp = false
    /// A text field being edited, which takes every key.
    public var editor: LineEditor?
    /// Whether `q` asked for confirmation (a redrive is running).
    public var confirmingQuit = false
    /// Set once the console is leaving.
    public var isQuitting = false
    /// The status-line notice.
    public var notice: Notice?

    /// Every queue, as last read.
    public var queues: [QueueInfo] = []
    /// The last stats poll.
    public var report: MonitorReport?
    /// The dashboard's cursor.
    public var dashboard = DashboardState()
    /// The DLQ browser, once opened.
    public var browser: BrowserState?
    /// The message detail, once opened.
    public var detail: DetailState?
    /// The journal screen.
    public var journal = JournalState()
    /// Recent events, newest last.
    public var events: [EventLine] = []
    /// The redrive dialog, while open.
    public var redriveDialog: RedriveDialogState?
    /// Redrive jobs started from this console, oldest first.
    public var jobs: [JobPanel] = []
    /// The job the progress screen shows.
    public var progressJob: String?
    /// The job whose abort waits for `y`.
    public var confirmingAbort: String?
    /// Whether a simulation (a live drill) drives the backend's clock.
    public var hasSimulation = false
    /// The simulation's last status, shown in the header.
    public var simulation: SimulationStatus?
    public var simulationInFlight = false

    /// Redrive jobs running or paused in this console (quitting asks first while any runs).
    public var runningJobs: Int { jobs.filter(\.isActive).count }

    /// Polling bookkeeping.
    public var statsInFlight = false
    public var ticks = 0

    /// How many recent events are kept.
    public static let eventCapacity = 200

    /// A console about to load its first data.
    public init(backendLabel: String, isReadOnly: Bool = false, now: Timestamp, size: Size) {
        self.backendLabel = backendLabel
        self.isReadOnly = isReadOnly
        self.now = now
        self.size = size
    }

    /// The effects a fresh console starts with.
    public static let startEffects: [ConsoleEffect] = [.loadQueues, .loadStats]

    /// The readout of a queue, if polled.
    public func readout(_ queue: String) -> QueueReadout? {
        report?.readouts.first { $0.stats.queue == queue }
    }

    /// The queue info by name.
    public func queue(_ name: String) -> QueueInfo? {
        queues.first { $0.name == name }
    }

    /// Adds a line to the recent events, dropping the oldest beyond capacity.
    public mutating func log(_ text: String, alert: Bool = false) {
        events.append(EventLine(at: now, text: text, isAlert: alert))
        if events.count > ConsoleState.eventCapacity { events.removeFirst(events.count - ConsoleState.eventCapacity) }
    }
}

/// The dashboard's cursor over the queue table.
public struct DashboardState: Sendable, Hashable {
    /// The selected queue row.
    public var selected = 0
}
