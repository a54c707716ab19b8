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

    /// Whether every scalar of `text` is printable, one column wide, never combines with a
    /// neighbour and needs no escaping: printable ASCII and Latin-1 (not the soft hyphen), dashes,
    /// quotes, bullets and ellipsis, arrows, box drawing and block elements — nearly every string
    /// on screen. Such text is one grapheme and one column per scalar.
    public static func isPlainNarrow(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } || text.unicodeScalars.allSatisfy { isPlainNarrow($0.value) }
    }

    static func isPlainNarrow(_ v: UInt32) -> Bool {
        switch v {
        case 0x20..<0x7F, 0xA1..<0xAD, 0xAE...0xFF: true
        case 0x2010...0x2027, 0x2030...0x205E: true
        case 0x2190...0x21FF, 0x2500...0x259F: true
        default: false
        }
    }

    /// The columns `text` takes once escaped.
    public static func of(_ text: String) -> Int {
        // Printable ASCII: one column per byte, no grapheme breaking needed.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        if isPlainNarrow(text) { return text.unicodeScalars.count }
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
