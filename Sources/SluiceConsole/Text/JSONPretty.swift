/// Re-indents JSON for reading, keeping key order and every value exactly as written.
///
/// It works on bytes and refuses (returns nil) anything that is not one complete JSON value, so
/// a body that merely starts with `{` is shown as text instead.
public enum JSONPretty {
    /// The deepest nesting accepted; deeper bodies are shown as text.
    public static let maxDepth = 256

    /// The pretty-printed lines, or nil when `bytes` are not valid JSON.
    public static func lines(_ bytes: [UInt8], indent: Int = 2) -> [String]? {
        var printer = Printer(bytes: bytes, indent: indent)
        guard printer.value(depth: 0) else { return nil }
        printer.skipSpace()
        guard printer.i == bytes.count else { return nil }
        printer.flush()
        return printer.lines
    }

    private struct Printer {
        let bytes: [UInt8]
        let indent: Int
        var i = 0
        var lines: [String] = []
        var line: [UInt8] = []

        init(bytes: [UInt8], indent: Int) {
            self.bytes = bytes
            self.indent = indent
        }

        mutating func flush() {
            lines.append(String(decoding: line, as: UTF8.self))
            line.removeAll(keepingCapacity: true)
        }

        mutating func newline(_ depth: Int) {
            flush()
            line.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * indent))
        }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func value(depth: Int) -> Bool {
            skipSpace()
            guard i < bytes.count, depth < JSONPretty.maxDepth else { return false }
            switch bytes[i] {
            case UInt8(ascii: "{"): return container(close: UInt8(ascii: "}"), keyed: true, depth: depth)
            case UInt8(ascii: "["): return container(close: UInt8(ascii: "]"), keyed: false, depth: depth)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        mutating func container(close: UInt8, keyed: Bool, depth: Int) -> Bool {
            line.append(bytes[i])
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == close {
                line.append(close)
                i += 1
                return true
            }
            while true {
                newline(depth + 1)
                if keyed {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), string() else { return false }
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
                    i += 1
                    line.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
                }
                guard value(depth: depth + 1) else { return false }
                skipSpace()
                guard i < bytes.count else { return false }
                if bytes[i] == UInt8(ascii: ",") {
                    line.append(bytes[i])
                    i += 1
                    continue
                }
                guard bytes[i] == close else { return false }
                i += 1
                newline(depth)
                line.append(close)
                return true
            }
        }

        mutating func string() -> Bool {
            let start = i
            i += 1
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    i += 1
                    line.append(contentsOf: bytes[start..<i])
                    return true
                }
                if b < 0x20 { return false }
                i += b == UInt8(ascii: "\\") ? 2 : 1
            }
            return false
        }

        mutating func literal(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { return false }
            line.append(contentsOf: w)
            i += w.count
            return true
        }

        mutating func number() -> Bool {
            let start = i
            while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
            guard i > start else { return false }
            let first = bytes[start]
            guard first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else { return false }
            line.append(contentsOf: bytes[start..<i])
            return true
        }
    }
}
