/// A plain-text table for terminal output: columns padded, numbers right-aligned.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    /// Columns aligned right (numbers).
    var rightAligned: Set<Int> = []

    init(_ headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

    /// A one-line preview: control characters escaped, cut to `width` with an ellipsis.
    func preview(_ width: Int) -> String {
        var out = ""
        for ch in self {
            if out.count >= width { return String(out.prefix(max(0, width - 1))) + "…" }
            if ch == "\n" { out += "\\n" } else if ch == "\t" { out += "\\t" } else if ch.isASCII, let v = ch.asciiValue, v < 0x20 || v == 0x7F { out += "?" } else { out.append(ch) }
        }
        return out.count > width ? String(out.prefix(max(0, width - 1))) + "…" : out
    }
}

/// A body for one-line display: UTF-8 text, or `<binary N bytes: hex…>`.
func bodyPreview(_ body: [UInt8], width: Int) -> String {
    if let text = String(validating: body, as: UTF8.self) { return text.preview(width) }
    let hex = body.prefix(12).map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined()
    return "<binary \(body.count) bytes: \(hex)\(body.count > 12 ? "…" : "")>".preview(width)
}
