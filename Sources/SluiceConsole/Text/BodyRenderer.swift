/// Turns a message body into display lines: pretty JSON, plain text, or a hex dump for bodies
/// that are not UTF-8. Every line is safe to draw (escapes for control characters and bad bytes).
public enum BodyRenderer {
    /// Longest logical line kept whole; longer text is cut into pieces so wrapping stays cheap.
    static let chunk = 1024

    /// The lines and what kind of body it was (`JSON`, `text`, `binary`, `hex`).
    public static func render(_ body: [UInt8], hex: Bool) -> (lines: [String], kind: String) {
        if hex { return (HexDump.lines(body), "hex") }
        if body.isEmpty { return (["(empty body)"], "empty") }
        let valid = SafeText.isValidUTF8(body)
        if valid, let pretty = JSONPretty.lines(body) {
            return (pretty.flatMap { split(SafeText.clean($0)) }, "JSON")
        }
        if !valid {
            // Mostly-binary bodies read better as hex; text with a few bad bytes as escaped text.
            let bad = body.filter { $0 >= 0x80 }.count
            let controls = body.filter { $0 < 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }.count
            if (bad + controls) * 4 > body.count { return (HexDump.lines(body), "binary") }
        }
        let text = SafeText.decode(body)
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += split(SafeText.clean(String(line)))
        }
        return (lines, valid ? "text" : "text with invalid UTF-8")
    }

    static func split(_ line: String) -> [String] {
        guard line.count > chunk else { return [line] }
        var out: [String] = []
        var rest = Substring(line)
        while !rest.isEmpty {
            out.append(String(rest.prefix(chunk)))
            rest = rest.dropFirst(chunk)
        }
        return out
    }
}

/// The classic hex dump: offset, sixteen bytes in hex, and the printable ASCII beside them.
public enum HexDump {
    /// One line per sixteen bytes.
    public static func lines(_ bytes: [UInt8]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(bytes.count / 16 + 1)
        var offset = 0
        while offset < bytes.count {
            let row = bytes[offset..<min(offset + 16, bytes.count)]
            var line = SafeText.hex(UInt32(offset), digits: 8) + "  "
            for (n, b) in row.enumerated() {
                line += SafeText.hex(UInt32(b), digits: 2).lowercased() + (n == 7 ? "  " : " ")
            }
            if row.count < 16 {
                line += String(repeating: "   ", count: 16 - row.count) + (row.count <= 7 ? " " : "")
            }
            line += " |"
            for b in row { line.append(b >= 0x20 && b < 0x7F ? Character(Unicode.Scalar(b)) : ".") }
            line += "|"
            out.append(line)
            offset += 16
        }
        if out.isEmpty { out.append("(empty body)") }
        return out
    }
}
