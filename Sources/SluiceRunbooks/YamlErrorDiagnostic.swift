import Foundation
import SluiceCore
import Yams

/// Turns a Yams error into a diagnostic at the file position libYAML reported, with a fix for the
/// mistakes people actually make in front matter.
enum YamlErrorDiagnostic {
    static func make(_ error: any Error, yaml: String, file: String, lineOffset: Int) -> RunbookDiagnostic {
        func diagnostic(_ line: Int, _ column: Int, _ message: String, _ fix: String) -> RunbookDiagnostic {
            RunbookDiagnostic(file: file, line: line + lineOffset, column: column, severity: .error, message: message, fix: fix)
        }
        guard let error = error as? YamlError else {
            return diagnostic(1, 1, "the front matter could not be read: \(error)", "check that it is valid YAML")
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context, !context.text.isEmpty {
                message += " (\(context.text) at line \(context.mark.line + lineOffset))"
            }
            return diagnostic(mark.line, mark.column, message, fix(for: problem, at: mark, in: yaml))
        case let .reader(problem, offset, _, _):
            let (line, column) = offset.map { position(ofCharacter: $0, in: yaml) } ?? (1, 1)
            return diagnostic(line, column, "the front matter is not readable text: \(problem)", "save the file as UTF-8 without control characters")
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? "?"
            let at = secondOccurrence(of: key, after: context.mark, in: yaml) ?? (context.mark.line, context.mark.column)
            let more = duplicates.count > 1 ? " (also: \(duplicates.dropFirst().map { "'\($0)'" }.joined(separator: ", ")))" : ""
            return diagnostic(at.line, at.column, "duplicate key '\(key)'\(more); the first is on line \(context.mark.line + lineOffset)",
                              "keep one '\(key)' and merge the two")
        default:
            return diagnostic(1, 1, "the front matter could not be read: \(error)", "check that it is valid YAML")
        }
    }

    private static func fix(for problem: String, at mark: Mark, in yaml: String) -> String {
        let line = yaml.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(mark.line - 1).first.map(String.init) ?? ""
        if problem.contains("alias") {
            return "a value starting with '*' is a YAML alias: quote globs, e.g. dlq: \"*-dlq\""
        }
        if line.contains("\t") || problem.contains("tab") {
            return "indent with spaces, not tabs"
        }
        if problem.contains("mapping values are not allowed") {
            return "quote a value that contains ': ', e.g. title: \"Redrive: after the outage\""
        }
        if problem.contains("did not find expected key") || problem.contains("expected <block end>") {
            return "line up the keys of one section at the same indentation, with spaces"
        }
        if problem.contains("quoted scalar") {
            return "close the quote on the same line"
        }
        if problem.contains("flow sequence") || problem.contains("flow mapping") {
            return "close the brackets: error_types: [Timeout, Throttled]"
        }
        if problem.contains("cannot start any token") {
            return "quote a value that starts with '@', '`', '%' or another YAML indicator"
        }
        return "check the indentation and quoting of this line"
    }

    /// libYAML's reader reports a character offset; turn it into line and column.
    private static func position(ofCharacter offset: Int, in yaml: String) -> (Int, Int) {
        var line = 1, column = 1
        for (index, character) in yaml.enumerated() {
            if index == offset { break }
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    /// Yams points at the first of two duplicate keys; the mistake is usually the second, so look
    /// for the same key at the same indentation further down, within the same mapping.
    private static func secondOccurrence(of key: String, after first: Mark, in yaml: String) -> (line: Int, column: Int)? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let indent = first.column - 1
        let firstPrefix = String(String.UnicodeScalarView(Array(lines[first.line - 1].unicodeScalars).prefix(indent)))
        let inList = firstPrefix.contains("-")
        for number in first.line..<lines.count {
            let scalars = Array(lines[number].unicodeScalars)
            let leading = scalars.prefix(while: { $0 == " " }).count
            let blank = leading == scalars.count || scalars[leading] == "#"
            // A less indented line closes the mapping the first key lives in.
            if !blank, !inList, leading < indent { return nil }
            guard scalars.count > indent else { continue }
            let prefix = String(String.UnicodeScalarView(scalars.prefix(indent)))
            guard prefix.allSatisfy({ $0 == " " }) || prefix == firstPrefix else { continue }
            let rest = String(String.UnicodeScalarView(scalars.dropFirst(indent)))
            for candidate in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(candidate) {
                let after = rest.dropFirst(candidate.count).drop(while: { $0 == " " })
                if after.first == ":" { return (number + 1, first.column) }
            }
        }
        return nil
    }
}
