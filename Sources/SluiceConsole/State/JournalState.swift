import SluiceCore

/// The audit journal screen: newest entries first, narrowed by a text filter.
public struct JournalState: Sendable {
    /// Entries newest first.
    public var entries: [JournalEntry] = []
    /// Whether a load is under way.
    public var isLoading = false
    public var cursor = 0
    /// Keeps entries whose actor, action, subject or details contain it (case-insensitive).
    public var filterText = ""

    /// How many entries the screen reads.
    public static let limit = 2000

    public init() {}

    /// The entries passing the filter.
    public var visible: [JournalEntry] {
        let needle = filterText.lowercased()
        guard !needle.isEmpty else { return entries }
        return entries.filter { e in
            e.action.lowercased().contains(needle) || e.subject.lowercased().contains(needle)
                || e.actor.lowercased().contains(needle)
                || e.details.contains { $0.key.lowercased().contains(needle) || $0.value.lowercased().contains(needle) }
        }
    }
}
