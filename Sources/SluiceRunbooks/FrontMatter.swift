import Foundation

/// A runbook file cut into its YAML front matter and its Markdown body.
struct FrontMatter: Sendable {
    /// The YAML between the two `---` lines, one line per file line.
    var yaml: String
    /// How many file lines come before the YAML's first line (1: the opening `---`).
    var lineOffset: Int
    /// The file line of the closing `---`: where missing keys would go.
    var closingLine: Int
    /// The Markdown after the closing `---`.
    var prose: String

    /// Why a file has no usable front matter.
    struct Problem: Error, Sendable {
        var line: Int
        var message: String
        var fix: String
    }

    private static let shape = "a runbook starts with a line '---', then YAML settings, then another '---' line, then the Markdown"

    /// Cuts `text` at the first two `---` lines.
    static func split(_ text: String) -> Result<FrontMatter, Problem> {
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        // "\r\n" is a single Character in Swift, so split on any newline rather than on "\n".
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        func isFence(_ line: Substring) -> Bool {
            var l = line
            while let last = l.last, last == " " || last == "\t" { l = l.dropLast() }
            return l == "---"
        }
        guard lines.contains(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            return .failure(Problem(line: 1, message: "the file is empty", fix: shape))
        }
        guard isFence(lines[0]) else {
            if let fence = lines.firstIndex(where: isFence),
               lines[..<fence].allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
                return .failure(Problem(line: fence + 1, message: "the front matter must start on the first line",
                                        fix: "remove the blank lines before this '---'"))
            }
            return .failure(Problem(line: 1, message: "no front matter: the first line is not '---'", fix: shape))
        }
        guard let close = lines.indices.dropFirst().first(where: { isFence(lines[$0]) }) else {
            return .failure(Problem(line: 1, message: "the front matter opened on line 1 is never closed",
                                    fix: "add a line '---' after the last YAML setting, before the Markdown"))
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        let prose = lines[(close + 1)...].joined(separator: "\n")
        return .success(FrontMatter(yaml: yaml, lineOffset: 1, closingLine: close + 1, prose: prose))
    }

    /// The text of the first `# ` heading of the Markdown, if any.
    var firstHeading: String? {
        for line in prose.split(separator: "\n") where line.hasPrefix("# ") {
            let title = String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces)
            if !title.isEmpty { return title }
        }
        return nil
    }
}
