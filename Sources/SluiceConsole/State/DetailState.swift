import SluiceCore

/// One message shown in full: attributes, lineage, error, and the body pretty-printed (JSON),
/// as text, or as a hex dump (binary).
public struct DetailState: Sendable {
    public var queue: String
    public var id: String
    /// The queue's retention, for time-to-expiry.
    public var retention: TimeSpan
    /// What the list knew, shown while the full message loads.
    public var summary: MessageSummary?
    /// The full message once loaded.
    public var message: QueueMessage?
    /// Whether the message is gone (redriven, deleted, expired).
    public var isMissing = false
    /// Whether the body is shown as a hex dump.
    public var showsHex = false
    /// The first content line shown.
    public var scroll = 0
    /// The body as display lines, built once per load or view switch.
    public var bodyLines: [String] = []
    /// How the body was read: `JSON`, `text`, `binary`.
    public var bodyKind = ""

    public init(queue: String, id: String, retention: TimeSpan, summary: MessageSummary?) {
        self.queue = queue
        self.id = id
        self.retention = retention
        self.summary = summary
    }

    /// Stores the loaded message and lays out its body.
    public mutating func load(_ message: QueueMessage?) {
        self.message = message
        isMissing = message == nil
        layoutBody()
    }

    /// Rebuilds ``bodyLines`` for the current view mode.
    public mutating func layoutBody() {
        guard let message else { bodyLines = []; bodyKind = ""; return }
        let rendered = BodyRenderer.render(message.body, hex: showsHex)
        bodyLines = rendered.lines
        bodyKind = rendered.kind
    }
}
