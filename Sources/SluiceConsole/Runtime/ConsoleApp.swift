import SluiceCore

/// The console's loop: it merges keys, ticks and effect results into one stream, applies each
/// to the state, runs the effects, and draws at most `maxFramesPerSecond` times a second,
/// skipping frames identical to the last one. Idle, it sleeps until the next tick.
public actor ConsoleApp {
    /// Timing of the loop.
    public struct Options: Sendable {
        /// How often time passes for the console (polls, countdowns). Real time, whatever the
        /// backend's clock says, so a demo at 60x does not poll 60 times faster.
        public var tickInterval: Duration
        /// The most frames drawn per second.
        public var maxFramesPerSecond: Int

        public init(tickInterval: Duration = .milliseconds(500), maxFramesPerSecond: Int = 20) {
            self.tickInterval = tickInterval
            self.maxFramesPerSecond = max(1, maxFramesPerSecond)
        }
    }

    /// Why the loop ended.
    public enum Exit: Sendable, Hashable {
        /// The operator quit.
        case quit
        /// A termination signal: the caller restores the terminal and re-raises it.
        case signal(Int32)
    }

    private enum Message: Sendable {
        case event(ConsoleEvent)
        case render
    }

    private var state: ConsoleState
    private let device: any TerminalDevice
    private let clock: any SluiceClock
    private let options: Options
    private let makeRunner: @Sendable (@escaping @Sendable (ConsoleEvent) -> Void) -> EffectRunner
    private var lastFrame: Frame?
    private var lastRender: ContinuousClock.Instant?
    private var renderScheduled = false
    private var needsFullRepaint = false
    private var frames = 0
    private var stopped: [String] = []

    /// Creates the loop.
    /// - Parameters:
    ///   - state: the starting state (its size is replaced by the device's).
    ///   - backend: the queues; its clock is what ticks carry.
    ///   - redrive: the job store, target and runbook folder that let the console redrive.
    ///   - simulation: a drill driving the backend's clock: the header shows it and the time keys steer it.
    public init(state: ConsoleState, device: any TerminalDevice, backend: any QueueBackend, journal: JournalReader?,
                monitor: Monitor? = nil, redrive: RedriveServices? = nil, simulation: (any SimulationControl)? = nil,
                options: Options = Options()) {
        var state = state
        state.hasSimulation = simulation != nil
        self.state = state
        self.device = device
        self.clock = backend.clock
        self.options = options
        makeRunner = { post in
            EffectRunner(backend: backend, journal: journal, monitor: monitor, redrive: redrive, simulation: simulation, post: post)
        }
    }

    /// The state as it stands (for tests).
    public var currentState: ConsoleState { state }

    /// Frames actually drawn so far.
    public var framesDrawn: Int { frames }

    /// Redrive jobs that were still running when the console left: stopped between batches,
    /// `interrupted` and resumable with `sluice redrive --resume`.
    public var stoppedJobs: [String] { stopped }

    /// Runs until the operator quits or a signal arrives.
    public func run() async -> Exit {
        let (stream, continuation) = AsyncStream.makeStream(of: Message.self, bufferingPolicy: .unbounded)
        let runner = makeRunner { continuation.yield(.event($0)) }
        let device = self.device
        let inputTask = Task {
            for await input in device.inputs {
                switch input {
                case .key(let key): continuation.yield(.event(.key(key)))
                case .resize(let size): continuation.yield(.event(.resize(size)))
                case .signal(let signal): continuation.yield(.event(.terminate(signal: signal)))
                }
            }
        }
        let clock = self.clock
        let interval = options.tickInterval
        let tickTask = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                continuation.yield(.event(.tick(clock.now())))
            }
        }
        defer {
            inputTask.cancel()
            tickTask.cancel()
            runner.cancelAll()
            continuation.finish()
        }

        state.size = device.size
        ConsoleState.startEffects.forEach(runner.perform)
        draw()
        var exit: Exit? = nil
        for await message in stream {
            switch message {
            case .render:
                renderScheduled = false
            case .event(let event):
                if case .terminate(let signal) = event { exit = .signal(signal) }
                for effect in state.apply(event) {
                    switch effect {
                    case .quit: exit = exit ?? .quit
                    case .redraw: needsFullRepaint = true
                    default: runner.perform(effect)
                    }
                }
            }
            if let exit {
                await stopJobs(runner, exit: exit)
                return exit
            }
            scheduleDraw { continuation.yield(.render) }
        }
        // The event stream ended without a quit or signal (the terminal went away).
        await stopJobs(runner, exit: .quit)
        return .quit
    }

    /// Stops running redrives resumably before the console lets go of the terminal, saying so
    /// on screen while it waits for their current batch.
    private func stopJobs(_ runner: EffectRunner, exit: Exit) async {
        let running = runner.runningJobs
        guard !running.isEmpty else { return }
        let reason: String
        switch exit {
        case .quit: reason = "stopped: the console quit"
        case .signal(let signal): reason = "stopped by \(ConsoleApp.signalName(signal))"
        }
        state.notice = Notice("stopping \(running.count) redrive job\(running.count == 1 ? "" : "s") before the next batch…", level: .warning)
        draw()
        stopped = await runner.stopJobs(reason: reason)
    }

    /// `SIGHUP`, as the journal and the command line name it (Linux numbering).
    public static func signalName(_ signal: Int32) -> String {
        switch signal {
        case 1: "SIGHUP"
        case 2: "SIGINT"
        case 15: "SIGTERM"
        default: "signal \(signal)"
        }
    }

    /// Draws now if the last frame is old enough, else once when it is.
    private func scheduleDraw(_ wake: @escaping @Sendable () -> Void) {
        let minimum = Duration.seconds(1) / options.maxFramesPerSecond
        let now = ContinuousClock.now
        if let last = lastRender, now - last < minimum {
            guard !renderScheduled else { return }
            renderScheduled = true
            let wait = minimum - (now - last)
            Task {
                try? await Task.sleep(for: wait)
                wake()
            }
            return
        }
        draw()
    }

    private func draw() {
        let frame = ConsoleView.render(state, size: state.size)
        lastRender = ContinuousClock.now
        guard frame != lastFrame || needsFullRepaint else { return }
        device.present(frame, fullRepaint: needsFullRepaint)
        needsFullRepaint = false
        lastFrame = frame
        frames += 1
    }
}
