import SluiceConsole

/// ASCII stand-ins for the console's box, bar and arrow glyphs, for terminals whose locale is
/// not UTF-8 (a vt100 on a serial line, `LANG=C`).
enum GlyphFallback {
    static let table: [Character: Character] = [
        "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+",
        "▁": "_", "▂": "_", "▃": ".", "▄": "-", "▅": "=", "▆": "=", "▇": "#", "█": "#", "░": ".",
        "›": ">", "…": "~", "←": "<", "→": ">", "↑": "^", "↓": "v", "×": "x", "—": "-", "◌": " ", "·": ".",
    ]

    /// The ASCII character drawn for `symbol` (the first character of a wide one).
    static func ascii(_ symbol: String) -> Character {
        guard let first = symbol.first else { return " " }
        if first.isASCII { return first }
        return table[first] ?? "?"
    }
}
