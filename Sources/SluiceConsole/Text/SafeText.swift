/// Makes untrusted text (message bodies, attributes, error messages) safe to draw: control
/// characters, bidirectional overrides and invalid UTF-8 become visible escapes, so a message can
/// never move the cursor, recolour the terminal or hide what it says.
public enum SafeText {
    /// Whether a character must be shown as an escape instead of drawn.
    public static func needsEscape(_ character: Character) -> Bool {
        guard let first = character.unicodeScalars.first else { return false }
        // Printable ASCII is most of what a console draws: skip the Unicode property lookup.
        if first.value >= 0x20 && first.value < 0x7F && character.utf8.count == 1 { return false }
        if first.value < 0x20 || (0x7F...0x9F).contains(first.value) { return true }
        if character.unicodeScalars.count > 1 {
            // A cluster such as "\r\n" still carries a control character.
            return character.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        }
        switch first.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned:
            return true
        default:
            return false
        }
    }

    /// Whether a character starts with a combining mark and needs a base (shown on `◌`).
    static func needsBase(_ character: Character) -> Bool {
        guard let first = character.unicodeScalars.first else { return false }
        if first.value < 0x300 { return false }  // no combining marks below U+0300
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark: return true
        default: return false
        }
    }

    /// The visible escape of a character: `\n`, `\t`, `\r`, `\x1B`, `\u{202E}`.
    public static func escape(_ character: Character) -> String {
        var out = ""
        for scalar in character.unicodeScalars {
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0..<0x20, 0x7F: out += "\\x" + hex(scalar.value, digits: 2)
            default:
                if needsEscape(Character(scalar)) {
                    out += "\\u{" + hex(scalar.value, digits: 4) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// `text` with every unsafe character escaped; the result is one line.
    public static func clean(_ text: String) -> String {
        // Nearly every string on screen: nothing to escape, nothing to copy.
        if DisplayWidth.isPlainNarrow(text) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            if needsEscape(ch) {
                out += escape(ch)
            } else if needsBase(ch) {
                out += "\u{25CC}"
                out.append(ch)
            } else {
                out.append(ch)
            }
        }
        return out
    }

    /// Decodes bytes as UTF-8, writing each byte that is not part of a valid sequence as `\xNN`.
    /// Control characters are kept; pass the result through ``clean(_:)`` for a single line.
    public static func decode(_ bytes: [UInt8]) -> String {
        if isValidUTF8(bytes) { return String(decoding: bytes, as: UTF8.self) }
        var out = ""
        out.reserveCapacity(bytes.count + 16)
        var runStart = 0
        var i = 0
        while i < bytes.count {
            let length = validSequenceLength(bytes, at: i)
            if length > 0 {
                i += length
                continue
            }
            if runStart < i { out += String(decoding: bytes[runStart..<i], as: UTF8.self) }
            out += "\\x" + hex(UInt32(bytes[i]), digits: 2)
            i += 1
            runStart = i
        }
        if runStart < bytes.count { out += String(decoding: bytes[runStart...], as: UTF8.self) }
        return out
    }

    /// Whether `bytes` are valid UTF-8.
    public static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i < bytes.count {
            if bytes[i] < 0x80 { i += 1; continue }
            let length = validSequenceLength(bytes, at: i)
            if length == 0 { return false }
            i += length
        }
        return true
    }

    /// At most `maxBytes` bytes, cut before a UTF-8 continuation byte so a valid body's prefix
    /// stays valid.
    public static func prefixOnBoundary(_ bytes: [UInt8], maxBytes: Int) -> [UInt8] {
        var n = min(bytes.count, maxBytes)
        var steps = 0
        while n < bytes.count, n > 0, bytes[n] & 0xC0 == 0x80, steps < 3 {
            n -= 1
            steps += 1
        }
        return Array(bytes[..<n])
    }

    /// The length of the valid UTF-8 sequence starting at `i`, or 0 when it is not valid.
    static func validSequenceLength(_ b: [UInt8], at i: Int) -> Int {
        let lead = b[i]
        func cont(_ k: Int) -> Bool { i + k < b.count && b[i + k] & 0xC0 == 0x80 }
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1) && b[i + 1] >= 0xA0 && cont(2) ? 3 : 0
        case 0xED: return cont(1) && b[i + 1] < 0xA0 && cont(2) ? 3 : 0
        case 0xE1...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xF0: return cont(1) && b[i + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1) && b[i + 1] < 0x90 && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let s = String(value, radix: 16, uppercase: true)
        return s.count >= digits ? s : String(repeating: "0", count: digits - s.count) + s
    }
}
