import Synchronization

/// A terminal in memory: it applies every presented frame through ``FrameDiff`` to its own
/// screen buffer, exactly as the curses driver does, so tests see what a person would.
public final class InMemoryTerminal: TerminalDevice {
    private struct Screen {
        var size: Size
        var cells: Frame?
        var presented = 0
        var changedCells = 0
    }

    private let screen: Mutex<Screen>
    private let continuation: AsyncStream<TerminalInput>.Continuation
    public let inputs: AsyncStream<TerminalInput>

    /// A terminal of `size`.
    public init(size: Size) {
        screen = Mutex(Screen(size: size))
        (inputs, continuation) = AsyncStream.makeStream(of: TerminalInput.self, bufferingPolicy: .unbounded)
    }

    public var size: Size { screen.withLock { $0.size } }

    public func present(_ frame: Frame, fullRepaint: Bool) {
        screen.withLock { s in
            let diff = fullRepaint ? FrameDiff.between(nil, frame) : FrameDiff.between(s.cells, frame)
            var target = diff.isFull ? Frame(size: frame.size) : s.cells!
            for run in diff.runs {
                for (offset, cell) in run.cells.enumerated() { target.set(x: run.x + offset, y: run.y, cell) }
            }
            s.cells = target
            s.presented += 1
            s.changedCells += diff.changedCells
        }
    }

    /// Types keys.
    public func send(_ keys: [Key]) {
        for key in keys { continuation.yield(.key(key)) }
    }

    /// Sends any input.
    public func send(_ input: TerminalInput) {
        if case .resize(let newSize) = input { screen.withLock { $0.size = newSize } }
        continuation.yield(input)
    }

    /// What the screen shows now (nil before the first frame).
    public var current: Frame? { screen.withLock { $0.cells } }

    /// The screen's text.
    public var text: String { current?.text ?? "" }

    /// How many frames were presented.
    public var presentedFrames: Int { screen.withLock { $0.presented } }

    /// Cells written since creation.
    public var changedCells: Int { screen.withLock { $0.changedCells } }

    /// Waits until the screen satisfies `condition`, polling up to `timeout`.
    /// - Returns: whether it did.
    public func waitUntil(timeout: Duration = .seconds(5), _ condition: (String) -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if condition(text) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(text)
    }

    /// Ends the input stream (the terminal went away).
    public func close() { continuation.finish() }
}
