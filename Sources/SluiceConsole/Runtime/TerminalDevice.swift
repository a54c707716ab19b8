/// What a terminal sends the console.
public enum TerminalInput: Sendable, Hashable {
    case key(Key)
    case resize(Size)
    /// A termination signal arrived (SIGINT, SIGTERM, SIGHUP).
    case signal(Int32)
}

/// A terminal the console draws on: the curses driver in production, ``InMemoryTerminal`` in
/// tests. It diffs each presented frame against what it shows and writes only the changes.
public protocol TerminalDevice: Sendable {
    /// The current size.
    var size: Size { get }
    /// Keys, resizes and signals, in order.
    var inputs: AsyncStream<TerminalInput> { get }
    /// Shows `frame`; `fullRepaint` clears and repaints everything (ctrl-l).
    func present(_ frame: Frame, fullRepaint: Bool)
}
