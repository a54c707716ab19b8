import Foundation
import SluiceCore
import Yams

/// Walks a composed YAML tree, reading typed values and collecting every problem with the
/// file position of the offending key or value.
///
/// One reader reads one file; it keeps going after a problem so a single `runbook check` run
/// shows them all.
final class RunbookReader {
    let file: String
    /// File lines before the YAML's first line, so a YAML mark turns into a file position.
    let lineOffset: Int
    /// The file line of the closing `---`, where missing keys are reported.
    let closingLine: Int
    private(set) var diagnostics: [RunbookDiagnostic] = []

    init(file: String, lineOffset: Int, closingLine: Int) {
        self.file = file
        self.lineOffset = lineOffset
        self.closingLine = closingLine
    }

    /// A key and its value, with the key's node for positions.
    struct Entry {
        let key: String
        let keyNode: Node
        let value: Node
    }

    // MARK: - Reporting

    func position(_ node: Node, offset: Int = 0) -> (line: Int, column: Int) {
        guard let mark = node.mark else { return (lineOffset + 1, 1) }
        return (mark.line + lineOffset, mark.column + offset)
    }

    func error(_ node: Node, _ message: String, fix: String, offset: Int = 0) {
        let (line, column) = position(node, offset: offset)
        error(line: line, column: column, message, fix: fix)
    }

    func error(line: Int, column: Int, _ message: String, fix: String) {
        diagnostics.append(RunbookDiagnostic(file: file, line: line, column: column, severity: .error, message: message, fix: fix))
    }

    func warning(_ node: Node, _ message: String, fix: String) {
        let (line, column) = position(node)
        diagnostics.append(RunbookDiagnostic(file: file, line: line, column: column, severity: .warning, message: message, fix: fix))
    }

    var hasErrors: Bool { diagnostics.contains(where: \.isError) }

    // MARK: - Shapes

    /// How a node reads in a message: `a list`, `a mapping`, `'fast'`, `nothing`.
    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case let .scalar(scalar):
            return isNull(node) ? "nothing" : "'\(scalar.string)'"
        }
    }

    func isNull(_ node: Node) -> Bool {
        guard case let .scalar(scalar) = node else { return false }
        return node.null != nil || scalar.string.isEmpty
    }

    /// The entries of a mapping, or nil (with a diagnostic) when the node is something else.
    /// Keys that are not plain text are reported and left out.
    func mapping(_ node: Node, _ name: String, example: String) -> [Entry]? {
        guard case let .mapping(mapping) = node else {
            error(node, "'\(name)' must be a mapping of keys, got \(describe(node))", fix: "write \(example)")
            return nil
        }
        var entries: [Entry] = []
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key, !isNull(key) else {
                error(key, "a key in '\(name)' must be a plain name, got \(describe(key))", fix: "write 'name: value' on one line")
                continue
            }
            entries.append(Entry(key: scalar.string, keyNode: key, value: value))
        }
        return entries
    }

    /// Reports keys that are not in `known`, suggesting the closest known key or the section the
    /// key belongs to.
    func checkKeys(_ entries: [Entry], known: [String], section: String?) {
        for entry in entries where !known.contains(entry.key) {
            let place = section.map { "in '\($0)'" } ?? "at the top level"
            let fix: String
            if section != nil, RunbookKeys.top.contains(entry.key) {
                fix = "'\(entry.key)' belongs at the top level of the front matter; unindent it"
            } else if let home = RunbookKeys.section(of: entry.key), home != section {
                fix = home == "guards"
                    ? "guards are list items: write it under 'guards:' as '- \(entry.key): CONDITION'"
                    : "'\(entry.key)' belongs under '\(home):'; indent it there"
            } else if let near = Spelling.closest(to: entry.key, among: known) {
                fix = "did you mean '\(near)'?"
            } else {
                fix = "known keys \(place): \(known.joined(separator: ", "))"
            }
            error(entry.keyNode, "unknown key '\(entry.key)' \(place)", fix: fix)
        }
    }

    // MARK: - Scalars

    /// The text of a scalar; nil (with a diagnostic) for lists, mappings and empty values.
    func text(_ node: Node, _ name: String, example: String) -> String? {
        guard case let .scalar(scalar) = node, !isNull(node) else {
            let what = isNull(node) ? "is empty" : "must be a single value, got \(describe(node))"
            error(node, "'\(name)' \(what)", fix: "write \(example)")
            return nil
        }
        return scalar.string
    }

    /// A whole number; nil (with a diagnostic) otherwise.
    func integer(_ node: Node, _ name: String, example: String) -> Int? {
        guard let raw = text(node, name, example: example) else { return nil }
        guard let value = Int(raw.replacingOccurrences(of: "_", with: "")) else {
            error(node, "'\(name)' must be a whole number, got '\(raw)'", fix: "write \(example)")
            return nil
        }
        return value
    }

    /// A duration in the `5m` / `2h` / `3d` form; nil (with a diagnostic) otherwise.
    func duration(_ node: Node, _ name: String, example: String) -> TimeSpan? {
        guard let raw = text(node, name, example: example) else { return nil }
        do {
            return try TimeSpan.parse(raw, field: name)
        } catch let error as SluiceError {
            let bare = !raw.isEmpty && raw.allSatisfy { $0.isASCII && $0.isNumber }
            let fix = bare ? "add a unit: \(raw)s, \(raw)m or \(raw)h" : (error.fix ?? "write \(example)")
            self.error(node, "'\(name)': '\(raw)' is not a duration", fix: fix)
            return nil
        } catch {
            self.error(node, "'\(name)': '\(raw)' is not a duration", fix: "write \(example)")
            return nil
        }
    }

    /// `true` or `false` (YAML's yes/no/on/off too); nil (with a diagnostic) otherwise.
    func boolean(_ node: Node, _ name: String) -> Bool? {
        if let value = node.bool { return value }
        error(node, "'\(name)' must be true or false, got \(describe(node))", fix: "write \(name.split(separator: ".").last ?? ""): true")
        return nil
    }

    /// A list of texts; a single text is refused so `[A, B]` and `A` are never confused.
    func textList(_ node: Node, _ name: String, example: String) -> [(String, Node)]? {
        guard case let .sequence(sequence) = node else {
            var fix = "write \(example)"
            if case let .scalar(scalar) = node, !isNull(node) {
                fix = "write a list: \(name.split(separator: ".").last ?? ""): [\(scalar.string)]"
            }
            error(node, "'\(name)' must be a list, got \(describe(node))", fix: fix)
            return nil
        }
        var items: [(String, Node)] = []
        for item in sequence {
            if let value = text(item, "\(name) item", example: example) { items.append((value, item)) }
        }
        return items
    }
}

/// The keys each section of the front matter knows, for unknown-key suggestions.
enum RunbookKeys {
    static let top = ["id", "title", "dlq", "destination", "filter", "batch", "strategy", "guards", "require"]
    static let filter = ["error_types", "min_age", "max_age"]
    static let batch = ["size", "jitter", "max_rate", "max_messages", "retry_delay"]
    static let require = ["root_cause_ack"]
    static let guardActions = ["pause_if", "abort_if"]

    /// The section a key belongs to, when it belongs to exactly one.
    static func section(of key: String) -> String? {
        if top.contains(key) { return nil }
        if filter.contains(key) { return "filter" }
        if batch.contains(key) { return "batch" }
        if require.contains(key) { return "require" }
        if guardActions.contains(key) { return "guards" }
        return nil
    }
}
