/// A one-line text field: the `/` filter prompt.
public struct LineEditor: Sendable, Hashable {
    /// What the text is for.
    public enum Purpose: Sendable, Hashable {
        case dlqFilter
        case journalFilter
        /// The redrive dialog's root-cause acknowledgement.
        case redriveAck
        /// A count typed to confirm a redrive.
        case redriveCount
    }

    public var purpose: Purpose
    public var text: String
    /// The cursor, in characters from the start.
    public var cursor: Int
    /// Why the last submitted text was refused, shown under the field.
    public var problem: String?

    public init(purpose: Purpose, text: String = "") {
        self.purpose = purpose
        self.text = text
        self.cursor = text.count
    }

    /// What a key did to the field.
    public enum Outcome: Sendable, Hashable {
        case editing
        case submitted(String)
        case cancelled
    }

    /// Applies a key.
    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .enter: return .submitted(text)
        case .escape, .ctrl("c"), .ctrl("g"): return .cancelled
        case .char(let ch):
            let index = text.index(text.startIndex, offsetBy: cursor)
            text.insert(ch, at: index)
            cursor += 1
        case .backspace, .ctrl("h"):
            guard cursor > 0 else { break }
            let index = text.index(text.startIndex, offsetBy: cursor - 1)
            text.remove(at: index)
            cursor -= 1
        case .delete, .ctrl("d"):
            guard cursor < text.count else { break }
            text.remove(at: text.index(text.startIndex, offsetBy: cursor))
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .ctrl("u"):
            text = ""
            cursor = 0
        case .ctrl("w"):
            let head = text.prefix(cursor)
            let trimmed = head.reversed().drop(while: { $0 == " " }).drop(while: { $0 != " " })
            let kept = String(trimmed.reversed())
            text = kept + text.dropFirst(cursor)
            cursor = kept.count
        default: break
        }
        problem = nil
        return .editing
    }
}
