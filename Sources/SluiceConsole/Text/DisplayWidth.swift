/// How many terminal columns text takes, the way terminals (wcwidth) count them: East Asian wide
/// and fullwidth characters and emoji take two, everything else one.
///
/// Text is expected to be made safe first (``SafeText``); unsafe characters are never measured
/// because ``Frame`` escapes them before writing.
public enum DisplayWidth {
    /// The columns `character` takes: 1 or 2.
    public static func of(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        return isWide(first) ? 2 : 1
    }

    /// The columns `text` takes once escaped.
    public static func of(_ text: String) -> Int {
        // Printable ASCII: one column per byte, no grapheme breaking needed.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        // Other one-column scalars that never combine (box lines, blocks, arrows, Latin-1).
        if text.unicodeScalars.allSatisfy({ Frame.isPlainNarrow($0.value) }) { return text.unicodeScalars.count }
        var total = 0
        for ch in text {
            if SafeText.needsEscape(ch) {
                total += SafeText.escape(ch).count
            } else {
                total += of(ch) + (SafeText.needsBase(ch) ? 1 : 0)
            }
        }
        return total
    }

    /// Whether a scalar is drawn two columns wide.
    public static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x1100 { return false }
        if scalar.properties.isEmojiPresentation { return true }
        for range in wideRanges where range.contains(v) { return true }
        return false
    }

    /// East Asian Wide (W) and Fullwidth (F) blocks, as wcwidth tables list them.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
        0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
        0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
        0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
