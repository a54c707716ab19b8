/// Every error Sluice reports to a person: what was wrong, where, and what to do about it.
///
/// Raw codes (SQLite, HTTP, SQS) are wrapped into one of these kinds at the layer that sees them.
public struct SluiceError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// What went wrong, which also decides the exit code.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The input (flag, file, body, duration) is wrong. Exit code 2.
        case badInput
        /// A named thing (queue, message, job, runbook) does not exist. Exit code 2.
        case notFound
        /// The thing exists already or is held by someone else. Exit code 2.
        case conflict
        /// A receipt handle is not the latest receive's. Exit code 2.
        case staleReceipt
        /// The store file is not a Sluice store, is damaged, or is from a newer version. Exit code 2.
        case incompatibleStore
        /// The action is refused (read-only console, a runbook rule). Exit code 2.
        case refused
        /// A remote service failed after retries. Exit code 1.
        case remote
        /// A check (drill expectation, replay) failed. Exit code 1.
        case checkFailed
        /// An internal invariant broke: a bug. Exit code 1.
        case internalError
    }

    /// The kind of failure.
    public var kind: Kind
    /// What was wrong and where, e.g. `queue 'orders-dlq' does not exist`.
    public var message: String
    /// What to do next, e.g. `run 'sluice queue list' to see the queues`.
    public var fix: String?

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, fix: String? = nil) {
        self.kind = kind
        self.message = message
        self.fix = fix
    }

    public static func badInput(_ message: String, fix: String? = nil) -> SluiceError { .init(.badInput, message, fix: fix) }
    public static func notFound(_ message: String, fix: String? = nil) -> SluiceError { .init(.notFound, message, fix: fix) }
    public static func conflict(_ message: String, fix: String? = nil) -> SluiceError { .init(.conflict, message, fix: fix) }
    public static func refused(_ message: String, fix: String? = nil) -> SluiceError { .init(.refused, message, fix: fix) }

    /// One line: `message — fix`.
    public var description: String {
        guard let fix, !fix.isEmpty else { return message }
        return "\(message) — \(fix)"
    }

    /// The process exit code for this error: 2 for bad input of any kind, 1 otherwise.
    public var exitCode: Int32 {
        switch kind {
        case .badInput, .notFound, .conflict, .staleReceipt, .incompatibleStore, .refused: 2
        case .remote, .checkFailed, .internalError: 1
        }
    }
}
