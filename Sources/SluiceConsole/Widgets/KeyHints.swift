/// A key and what it does, as hints and the help screen list them.
public struct KeyHint: Sendable, Hashable {
    /// The key as printed: `q`, `enter`, `/`.
    public var key: String
    /// What it does: `quit`, `open`.
    public var label: String

    public init(_ key: String, _ label: String) {
        self.key = key
        self.label = label
    }
}

/// The row of key hints at the bottom of a screen: `q quit  ? help  enter open`.
public enum KeyHints {
    /// Draws as many hints as fit into a one-row rectangle; returns the columns used.
    @discardableResult
    public static func draw(into frame: inout Frame, _ rect: Rect, hints: [KeyHint]) -> Int {
        guard rect.height > 0 else { return 0 }
        var x = rect.x
        for hint in hints {
            let needed = DisplayWidth.of(hint.key) + 1 + DisplayWidth.of(hint.label)
            if x + needed > rect.maxX { break }
            x += frame.put(hint.key, x: x, y: rect.y, style: .key)
            x += 1
            x += frame.put(hint.label, x: x, y: rect.y, style: .plain)
            x += 2
        }
        return x - rect.x
    }
}
