import SluiceCore

/// Number and time formats shared by the screens.
enum Format {
    /// `1,234,567`.
    static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// A rate per second: `12.3`, `0.5`, `1.2k`; `-` when unknown.
    static func rate(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        if value >= 10_000 { return "\(Int((value / 1000).rounded()))k" }
        if value >= 1000 { return oneDecimal(value / 1000) + "k" }
        if value >= 100 { return String(Int(value.rounded())) }
        return oneDecimal(value)
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `HH:MM:SS` (UTC) of a timestamp.
    static func timeOfDay(_ t: Timestamp) -> String {
        let iso = t.iso8601
        let start = iso.index(iso.startIndex, offsetBy: 11)
        return String(iso[start..<iso.index(start, offsetBy: 8)])
    }

    /// `2026-11-23 08:58:15Z`.
    static func dateTime(_ t: Timestamp) -> String {
        let iso = t.iso8601
        return String(iso.prefix(10)) + " " + timeOfDay(t) + "Z"
    }

    /// An age such as `3m12s`, never negative.
    static func age(_ span: TimeSpan) -> String {
        span.millis < 0 ? "0s" : span.compact
    }

    /// A short span with tenths under a minute: `2.1s`, `48.0s`, `3m12s`.
    static func seconds(_ span: TimeSpan) -> String {
        guard span.millis >= 0 else { return "0.0s" }
        guard span.millis < 60_000 else { return span.compact }
        return oneDecimal(Double(span.millis) / 1000) + "s"
    }

    /// A byte count: `812 B`, `3.4 KiB`, `1.0 MiB`.
    static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1024 * 1024 { return oneDecimal(Double(n) / 1024) + " KiB" }
        return oneDecimal(Double(n) / 1_048_576) + " MiB"
    }

    /// The tail of a long id, `…0000000004d2`, in at most `width` columns.
    static func idTail(_ id: String, width: Int) -> String {
        guard id.count > width, width > 1 else { return id }
        return "…" + id.suffix(width - 1)
    }
}
