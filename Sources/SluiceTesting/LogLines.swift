import Synchronization

/// Collects log lines from many tasks (an SQS client's, say), for checks and failure messages.
public final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    /// Every line so far, in the order they came.
    public var all: [String] { lines.withLock { $0 } }

    /// A sink that appends each line it is given.
    public var sink: @Sendable (String) -> Void { { [self] line in lines.withLock { $0.append(line) } } }
}
