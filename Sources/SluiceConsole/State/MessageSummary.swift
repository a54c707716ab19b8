import SluiceCore

/// What the DLQ list shows of a message: enough for a row, never the whole body, so a page of a
/// hundred 1 MiB messages costs kilobytes in the console.
public struct MessageSummary: Sendable, Hashable {
    public var id: String
    public var errorType: String
    public var errorMessage: String?
    /// First send (ages and expiry count from here).
    public var sentAt: Timestamp
    /// When it entered the DLQ.
    public var deadLetteredAt: Timestamp?
    public var receiveCount: Int
    /// The start of the body on one line, escaped; binary bytes as `\xNN`.
    public var preview: String
    /// The body's size in bytes.
    public var bodyBytes: Int
    /// Whether the body is not valid UTF-8.
    public var isBinary: Bool

    /// The longest preview kept.
    public static let previewLength = 160

    /// Summarises a message.
    public init(_ message: QueueMessage) {
        id = message.id
        errorType = message.errorType ?? unknownErrorType
        errorMessage = message.errorMessage.map { String($0.prefix(300)) }
        sentAt = message.sentAt
        deadLetteredAt = message.deadLetteredAt
        receiveCount = message.receiveCount
        bodyBytes = message.body.count
        let head = SafeText.prefixOnBoundary(message.body, maxBytes: MessageSummary.previewLength * 2)
        isBinary = !SafeText.isValidUTF8(SafeText.prefixOnBoundary(message.body, maxBytes: 4096))
        preview = String(SafeText.clean(SafeText.decode(head)).prefix(MessageSummary.previewLength))
    }

    /// Creates a summary from its parts (tests, other backends).
    public init(id: String, errorType: String, errorMessage: String? = nil, sentAt: Timestamp, deadLetteredAt: Timestamp? = nil,
                receiveCount: Int = 1, preview: String, bodyBytes: Int, isBinary: Bool = false) {
        self.id = id
        self.errorType = errorType
        self.errorMessage = errorMessage
        self.sentAt = sentAt
        self.deadLetteredAt = deadLetteredAt
        self.receiveCount = receiveCount
        self.preview = preview
        self.bodyBytes = bodyBytes
        self.isBinary = isBinary
    }
}
