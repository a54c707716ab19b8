import SluiceCore

/// What the console shows about a simulation behind it (a live drill or a trace replay).
public struct SimulationStatus: Sendable, Hashable {
    /// The drill's name, e.g. `downstream-outage`.
    public var name: String
    /// `live` for a drill running now, `replay` for a finished trace played back.
    public var mode: String
    /// Virtual time since the drill started.
    public var elapsed: TimeSpan
    /// The drill's planned length, when known.
    public var duration: TimeSpan?
    /// Virtual seconds per wall second: 1, 10, 60…
    public var speed: Int
    /// Whether virtual time is stopped.
    public var isPaused: Bool
    /// Whether the drill has reached its end.
    public var isFinished: Bool
    /// The latest notable thing that happened (a fault starting, an operator step, an alarm).
    public var headline: String?

    /// Creates a status.
    public init(name: String, mode: String, elapsed: TimeSpan, duration: TimeSpan? = nil, speed: Int,
                isPaused: Bool, isFinished: Bool, headline: String? = nil) {
        self.name = name
        self.mode = mode
        self.elapsed = elapsed
        self.duration = duration
        self.speed = speed
        self.isPaused = isPaused
        self.isFinished = isFinished
        self.headline = headline
    }
}

/// The seam between the console and a simulation that drives its backend's clock: the console
/// shows `status()` in its header and forwards the operator's time keys here. A drill engine
/// implements it; the console never needs to know how virtual time is produced.
public protocol SimulationControl: Sendable {
    /// The current status, read on every tick.
    func status() async -> SimulationStatus
    /// Stops or restarts virtual time.
    func setPaused(_ paused: Bool) async
    /// While paused: advances virtual time by one step (e.g. to the next event or 10 s).
    func step() async
    /// Changes how many virtual seconds pass per wall second.
    func setSpeed(_ speed: Int) async
    /// Records an operator action taken in the console (e.g. a redrive) so the trace holds it.
    func recordOperatorAction(_ action: String, details: [String: String]) async
}
