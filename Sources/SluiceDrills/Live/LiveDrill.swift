import SluiceCore

/// Runs a drill session in step with wall time, for watching it live (`sluice demo --drill`) or
/// reviewing a trace (`sluice demo --replay`): every tick advances the drill's virtual clock by
/// the wall time since the last tick times the speed. It can be paused, stepped and sped up.
///
/// It knows nothing of any console; the CLI adapts it to the console's `SimulationControl`.
/// What happens in the drill does not depend on the ticks: events run at their virtual times
/// whatever the tick boundaries, so a live run and a headless run of the same drill and seed
/// (without live operator actions) reach the same state.
public actor LiveDrill {
    /// What a view shows about the drill.
    public struct Status: Sendable, Hashable {
        public var name: String
        /// `live` or `replay`.
        public var mode: String
        public var elapsed: TimeSpan
        public var duration: TimeSpan
        /// Virtual seconds per wall second.
        public var speed: Int
        public var isPaused: Bool
        public var isFinished: Bool
        /// The latest notable event, prefixed with its drill time; the result once finished.
        public var headline: String?
    }

    /// The session it drives.
    public nonisolated let session: DrillSession
    /// `live` or `replay`.
    public nonisolated let mode: String
    private var speed: Int
    private var paused = false
    private var elapsed = TimeSpan.zero
    private var headline: String?
    private var report: DrillReport?
    private var failure: String?
    private var loop: Task<Void, Never>?
    private var busy = false

    /// The longest stretch of wall time one tick accounts for: when the engine cannot keep up
    /// with the speed, the drill runs slower instead of taking ever larger bites that would
    /// freeze the view.
    public static let maxTickWall = TimeSpan.milliseconds(250)

    /// Creates a driver; nothing runs until ``start(tick:)`` or ``tick(wall:)``.
    /// - Parameters:
    ///   - speed: virtual seconds per wall second (1, 10, 60…).
    ///   - mode: `live`, or `replay` for a trace played back.
    public init(session: DrillSession, speed: Int, mode: String = "live") {
        self.session = session
        self.mode = mode
        self.speed = max(1, speed)
    }

    /// Starts advancing on wall time, one tick every `tick`.
    public func start(tick: TimeSpan = .milliseconds(50)) {
        guard loop == nil else { return }
        loop = Task { [weak self] in
            let clock = ContinuousClock()
            var last = clock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(tick.millis))
                let now = clock.now
                let wall = now - last
                last = now
                let millis = wall.components.seconds * 1000 + wall.components.attoseconds / 1_000_000_000_000_000
                guard let self, await self.tick(wall: TimeSpan(millis: millis)) else { return }
            }
        }
    }

    /// Stops the wall-time loop (the drill stays where it is).
    public func stop() {
        loop?.cancel()
        loop = nil
    }

    /// Accounts for `wall` time passing: unless paused, the drill advances by `wall × speed`
    /// (at most ``maxTickWall`` of wall time per tick).
    /// - Returns: false once the drill has finished (nothing more to drive).
    @discardableResult
    public func tick(wall: TimeSpan) async -> Bool {
        guard report == nil, failure == nil else { return false }
        guard !paused, !busy else { return true }
        let bite = TimeSpan(millis: min(wall.millis, LiveDrill.maxTickWall.millis) * Int64(speed))
        await advance(to: elapsed + bite)
        return report == nil && failure == nil
    }

    /// Pauses or resumes virtual time.
    public func setPaused(_ paused: Bool) { self.paused = paused }

    /// While paused, advances one sample interval (the view's numbers change once per sample).
    public func step() async {
        guard paused, !busy, report == nil else { return }
        await advance(to: elapsed + drill.sampleInterval)
    }

    /// Changes the speed (at least 1).
    public func setSpeed(_ speed: Int) { self.speed = max(1, speed) }

    /// Records an operator action taken in a view into the trace (see ``DrillSession/recordExternal(_:details:)``).
    public func record(_ action: String, details: [String: String]) async {
        await session.recordExternal(action, details: details)
        await refreshHeadline()
    }

    /// Runs the rest of the drill at full speed and returns its report (the same one later).
    /// - Throws: ``SluiceError`` when the engine fails.
    public func finish() async throws -> DrillReport {
        stop()
        if let report { return report }
        let report = try await session.finish()
        self.report = report
        elapsed = drill.duration
        return report
    }

    /// The report, once the drill reached its end.
    public var finalReport: DrillReport? { report }

    /// Where the drill stands.
    public func status() -> Status {
        let shown: String?
        if let failure {
            shown = "stopped: \(failure)"
        } else if let report {
            let failed = report.failedCount
            shown = failed == 0 ? "finished: PASSED, \(report.expectations.count) expectations held"
                : "finished: FAILED, \(failed) of \(report.expectations.count) expectations did not hold"
        } else {
            shown = headline
        }
        return Status(name: drill.id, mode: mode, elapsed: elapsed, duration: drill.duration, speed: speed, isPaused: paused,
                      isFinished: report != nil || failure != nil, headline: shown)
    }

    private func advance(to target: TimeSpan) async {
        busy = true
        defer { busy = false }
        do {
            let limit = min(target, drill.duration)
            try await session.advance(to: limit)
            elapsed = await session.elapsed
            await refreshHeadline()
            if limit >= drill.duration { _ = try await finish() }
        } catch {
            failure = (error as? SluiceError)?.description ?? "\(error)"
        }
    }

    /// The session's latest notable event, prefixed with its drill time.
    private func refreshHeadline() async {
        if let (at, text) = await session.headline { headline = "\(DrillReport.clock(at.millis)) \(text)" }
    }

    /// The drill being driven.
    private var drill: Drill { session.loaded.drill }
}
