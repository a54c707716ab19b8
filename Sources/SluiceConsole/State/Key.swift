/// A key press, as the terminal driver decodes it.
public enum Key: Sendable, Hashable {
    /// A printable character.
    case char(Character)
    case enter, escape, backspace, delete, tab, backTab
    case up, down, left, right, pageUp, pageDown, home, end
    /// Control plus a letter, lowercased: `.ctrl("c")`.
    case ctrl(Character)
    /// A function key, `F1` is 1.
    case function(Int)
    /// Something the driver could not name.
    case unknown(Int32)
}

extension Key {
    /// Keys from plain text, for tests and scripted input: each character one key, `\n` enter.
    public static func typing(_ text: String) -> [Key] {
        text.map { $0 == "\n" ? .enter : .char($0) }
    }
}
