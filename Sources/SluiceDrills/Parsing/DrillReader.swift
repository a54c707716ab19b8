import Foundation
import SluiceCore
import Yams

/// Walks a drill's composed YAML tree, reading typed values and collecting every problem at the
/// file position of the offending key or value. It keeps going after a problem, so one check
/// shows them all.
final class DrillReader {
    let file: String
    private(set) var diagnostics: [RunbookDiagnostic] = []

    init(file: String) { self.file = file }

    /// A key, its node (for positions) and its value.
    struct Entry {
        let key: String
        let keyNode: Node
        let value: Node
        var line: Int { keyNode.mark?.line ?? 1 }
    }

    var hasErrors: Bool { diagnostics.contains(where: \.isError) }

    // MARK: Reporting

    func error(_ node: Node?, _ message: String, fix: String) {
        let mark = node?.mark
        diagnostics.append(RunbookDiagnostic(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, severity: .error, message: message, fix: fix))
    }

    func warning(_ node: Node?, _ message: String, fix: String) {
        let mark = node?.mark
        diagnostics.append(RunbookDiagnostic(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, severity: .warning, message: message, fix: fix))
    }

    /// How a node reads in a message: `a list`, `a mapping`, `'fast'`, `nothing`.
    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case let .scalar(scalar): return isNull(node) ? "nothing" : "'\(scalar.string)'"
        }
    }

    func isNull(_ node: Node) -> Bool {
        guard case let .scalar(scalar) = node else { return false }
        return scalar.string.isEmpty || (scalar.style == .plain && node.null != nil)
    }

    // MARK: Shapes

    /// The entries of a mapping (an empty value reads as an empty mapping), or nil with a diagnostic.
    func mapping(_ node: Node, _ name: String, example: String) -> [Entry]? {
        if isNull(node) { return [] }
        guard case let .mapping(mapping) = node else {
            error(node, "'\(name)' must be a mapping of keys, got \(describe(node))", fix: "write it as \(example)")
            return nil
        }
        var entries: [Entry] = []
        for (key, value) in mapping {
            guard case .scalar = key, let text = key.string else {
                error(key, "a key in '\(name)' is \(describe(key)), not a name", fix: "use plain names as keys")
                continue
            }
            entries.append(Entry(key: text, keyNode: key, value: value))
        }
        return entries
    }

    /// The items of a list, or nil with a diagnostic.
    func sequence(_ node: Node, _ name: String, example: String) -> [Node]? {
        if isNull(node) { return [] }
        guard case let .sequence(sequence) = node else {
            error(node, "'\(name)' must be a list, got \(describe(node))", fix: "write it as \(example)")
            return nil
        }
        return Array(sequence)
    }

    /// Reports keys outside `allowed`, suggesting the closest one.
    func checkKeys(_ entries: [Entry], allowed: [String], in section: String) {
        for entry in entries where !allowed.contains(entry.key) {
            let suggestion = Spelling.closest(to: entry.key, among: allowed)
            error(entry.keyNode, "unknown key '\(entry.key)' in \(section)",
                  fix: suggestion.map { "did you mean '\($0)'?" } ?? "known keys: \(allowed.joined(separator: ", "))")
        }
    }

    /// Reports a key given twice in one mapping list item (Yams allows it in flow style).
    func value(_ entries: [Entry], _ key: String) -> Node? {
        entries.first { $0.key == key }?.value
    }

    // MARK: Scalars

    func string(_ node: Node, _ field: String) -> String? {
        guard case .scalar = node, !isNull(node), let text = node.string?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            error(node, "\(field) must be text, got \(describe(node))", fix: "write a value after '\(field.split(separator: ".").last ?? ""):'")
            return nil
        }
        return text
    }

    /// A name of letters, digits, `-` and `_` (queue, worker, alarm names).
    func name(_ node: Node, _ field: String) -> String? {
        guard let text = string(node, field) else { return nil }
        guard text.count <= 80, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) else {
            error(node, "\(field) '\(text)' is not a valid name", fix: "use 1-80 letters, digits, '-' or '_'")
            return nil
        }
        return text
    }

    func span(_ node: Node, _ field: String, min: TimeSpan = .zero, max: TimeSpan? = nil) -> TimeSpan? {
        guard let text = string(node, field) else { return nil }
        do {
            let value = try TimeSpan.parse(text, field: field)
            if value < min || (max.map { value > $0 } ?? false) {
                error(node, "\(field) \(value) is out of range", fix: "use \(min)" + (max.map { " to \($0)" } ?? " or more"))
                return nil
            }
            return value
        } catch let e as SluiceError {
            error(node, e.message, fix: e.fix ?? "")
            return nil
        } catch {
            return nil
        }
    }

    /// `20ms..80ms` or a single duration (a fixed time).
    func spanRange(_ node: Node, _ field: String, max: TimeSpan) -> ClosedRange<TimeSpan>? {
        guard let text = string(node, field) else { return nil }
        let parts = text.components(separatedBy: "..")
        guard parts.count <= 2 else {
            error(node, "\(field) '\(text)' is not a duration or range", fix: "write 50ms, or a range like 20ms..80ms")
            return nil
        }
        var bounds: [TimeSpan] = []
        for part in parts {
            guard let value = try? TimeSpan.parse(part, field: field) else {
                error(node, "\(field): '\(part.trimmingCharacters(in: .whitespaces))' is not a duration", fix: "write 50ms, or a range like 20ms..80ms")
                return nil
            }
            bounds.append(value)
        }
        guard bounds[0] <= bounds[bounds.count - 1] else {
            error(node, "\(field) '\(text)' runs backwards", fix: "put the smaller duration first: \(parts[1])..\(parts[0])")
            return nil
        }
        guard bounds[bounds.count - 1] <= max else {
            error(node, "\(field) '\(text)' is longer than \(max)", fix: "use durations up to \(max)")
            return nil
        }
        return bounds[0]...bounds[bounds.count - 1]
    }

    func int(_ node: Node, _ field: String, _ range: ClosedRange<Int>) -> Int? {
        guard case .scalar = node, let value = node.int else {
            error(node, "\(field) must be a whole number, got \(describe(node))", fix: "write a number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        guard range.contains(value) else {
            error(node, "\(field) \(value) is out of range", fix: "use \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    func double(_ node: Node, _ field: String, _ range: ClosedRange<Double>) -> Double? {
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init), value.isFinite else {
            error(node, "\(field) must be a number, got \(describe(node))", fix: "write a number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        guard range.contains(value) else {
            error(node, "\(field) \(value) is out of range", fix: "use \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    /// A fraction written `0.05` or `5%`.
    func fraction(_ node: Node, _ field: String) -> Double? {
        if let text = node.string, text.hasSuffix("%"), let percent = Double(text.dropLast().trimmingCharacters(in: .whitespaces)) {
            guard (0...100).contains(percent) else {
                error(node, "\(field) \(text) is out of range", fix: "use 0% to 100%")
                return nil
            }
            return percent / 100
        }
        return double(node, field, 0...1)
    }

    func bool(_ node: Node, _ field: String) -> Bool? {
        guard case .scalar = node, let value = node.bool else {
            error(node, "\(field) must be true or false, got \(describe(node))", fix: "write true or false")
            return nil
        }
        return value
    }

    /// Messages per second, written `20/s`, `600/m` or a bare number.
    func rate(_ node: Node, _ field: String) -> Double? {
        guard let text = node.string ?? node.int.map(String.init) else {
            error(node, "\(field) must be a rate, got \(describe(node))", fix: "write messages per unit of time: 20/s, 600/m")
            return nil
        }
        do {
            let value = try RunbookBatch.parseRate(text)
            guard value >= 0, value <= 10_000 else {
                error(node, "\(field) \(text) is out of range", fix: "use 0/s to 10000/s")
                return nil
            }
            return value
        } catch let e as SluiceError {
            error(node, "\(field): \(e.message)", fix: e.fix ?? "")
            return nil
        } catch {
            return nil
        }
    }

    /// One name or a list of names.
    func names(_ node: Node, _ field: String) -> [String]? {
        if case let .sequence(items) = node {
            let names = items.compactMap { name($0, field) }
            guard names.count == items.count else { return nil }
            guard !names.isEmpty else {
                error(node, "\(field) is an empty list", fix: "name at least one")
                return nil
            }
            return names
        }
        return name(node, field).map { [$0] }
    }

    /// One text or a list of texts (error types).
    func texts(_ node: Node, _ field: String) -> [String]? {
        if isNull(node) { return [] }
        if case let .sequence(items) = node {
            let texts = items.compactMap { string($0, field) }
            return texts.count == items.count ? texts : nil
        }
        return string(node, field).map { [$0] }
    }
}
