/// Measuring, cutting, padding and wrapping text by display columns (not characters).
public enum TextLayout {
    /// `text` made safe and cut to at most `width` columns, ending in `…` when cut.
    public static func truncate(_ text: String, width: Int) -> String {
        guard width > 0 else { return "" }
        // Nothing to escape and one column per scalar: count and cut by scalars.
        if DisplayWidth.isPlainNarrow(text) {
            let scalars = text.unicodeScalars
            if scalars.count <= width { return text }
            return String(String.UnicodeScalarView(scalars.prefix(width - 1))) + "…"
        }
        let safe = SafeText.clean(text)
        if DisplayWidth.of(safe) <= width { return safe }
        var out = ""
        var used = 0
        for ch in safe {
            let w = DisplayWidth.of(ch)
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    /// `text` cut to `width` and padded with spaces to exactly `width` columns.
    public static func fit(_ text: String, width: Int, alignment: Alignment = .left) -> String {
        guard width > 0 else { return "" }
        let cut = truncate(text, width: width)
        let pad = max(0, width - DisplayWidth.of(cut))
        switch alignment {
        case .left: return cut + String(repeating: " ", count: pad)
        case .right: return String(repeating: " ", count: pad) + cut
        case .center:
            let left = pad / 2
            return String(repeating: " ", count: left) + cut + String(repeating: " ", count: pad - left)
        }
    }

    /// Wraps `text` into lines of at most `width` columns, breaking at spaces where it can and
    /// inside words where it must. Newlines start new lines; other control characters are escaped.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += wrapLine(SafeText.clean(String(paragraph)), width: width)
        }
        return lines
    }

    /// Wraps one already-safe line.
    static func wrapLine(_ line: String, width: Int) -> [String] {
        if DisplayWidth.of(line) <= width { return [line] }
        var out: [String] = []
        var current = ""
        var currentWidth = 0
        var lastSpace: String.Index? = nil
        for ch in line {
            let w = DisplayWidth.of(ch)
            if currentWidth + w > width {
                if let space = lastSpace, ch != " " {
                    let head = String(current[..<space])
                    let tail = String(current[current.index(after: space)...])
                    out.append(head)
                    current = tail
                    currentWidth = DisplayWidth.of(tail)
                } else {
                    out.append(current)
                    current = ""
                    currentWidth = 0
                }
                lastSpace = nil
                if ch == " " { continue }
                if currentWidth + w > width {
                    out.append(current)
                    current = ""
                    currentWidth = 0
                }
            }
            if ch == " " { lastSpace = current.endIndex }
            current.append(ch)
            currentWidth += w
        }
        if !current.isEmpty || out.isEmpty { out.append(current) }
        return out
    }
}
