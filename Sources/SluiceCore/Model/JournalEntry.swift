/// One line of the append-only audit journal: who did what, when, to what, and why.
public struct JournalEntry: Sendable, Hashable, Codable {
    /// Position in the journal, increasing.
    public var seq: Int64
    public var at: Timestamp
    /// The OS user (or `drill` in drills).
    public var actor: String
    /// A dotted verb such as `queue.create`, `redrive.batch`, `redrive.finish`.
    public var action: String
    /// What it was done to: a queue, a job id.
    public var subject: String
    /// Free-form details: plan, root-cause text, ids moved.
    public var details: [String: String]

    public init(seq: Int64, at: Timestamp, actor: String, action: String, subject: String, details: [String: String]) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.details = details
    }
}
