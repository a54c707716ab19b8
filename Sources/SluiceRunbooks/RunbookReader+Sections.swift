import Foundation
import SluiceCore
import Yams

/// What the sections of a front matter read to, before the cross-checks.
struct RunbookDraft {
    var id: String?
    var title: String?
    var dlqPatterns: [String] = []
    var destination: String?
    var filter = MessageFilter.all
    var errorTypeNodes: [(String, Node)] = []
    var batch = RunbookBatch.defaults
    var retryDelay = Runbook.defaultRetryDelay
    var retryDelayNode: Node?
    var strategies: [String: RedriveStrategy] = [:]
    var strategyNodes: [(String, Node)] = []
    var guards: [RunbookGuard] = []
    var requireRootCauseAck = false
}

extension RunbookReader {
    /// Reads the top-level mapping into a draft, reporting everything that is wrong.
    func readDraft(_ root: Node) -> RunbookDraft {
        var draft = RunbookDraft()
        let example = "one key per line: 'id: downstream-timeout', then 'dlq:', 'strategy:' and so on"
        guard let entries = mapping(root, "front matter", example: example) else { return draft }
        checkKeys(entries, known: RunbookKeys.top, section: nil)
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "id": draft.id = readId(value)
            case "title": draft.title = text(value, "title", example: "title: Redrive after a downstream outage")
            case "dlq": draft.dlqPatterns = readDLQ(value)
            case "destination":
                if let name = text(value, "destination", example: "destination: orders") {
                    draft.destination = checkedQueueName(name, value, "destination", allowGlob: false)
                }
            case "filter": readFilter(value, into: &draft)
            case "batch": readBatch(value, into: &draft)
            case "strategy": readStrategy(value, into: &draft)
            case "guards": draft.guards = readGuards(value)
            case "require": readRequire(value, into: &draft)
            default: break
            }
        }
        // A misspelt required key was already reported with a suggestion; don't report it twice.
        let suggested = Set(entries.compactMap { Spelling.closest(to: $0.key, among: RunbookKeys.top) })
        for key in ["id", "dlq", "strategy"] where !entries.contains(where: { $0.key == key }) && !suggested.contains(key) {
            let fix = switch key {
            case "id": "add 'id: my-runbook' (kebab-case, unique among runbooks)"
            case "dlq": "add 'dlq: orders-dlq' (a queue name or a glob such as \"*-dlq\")"
            default: "add 'strategy:' with one line per error type, e.g. 'Timeout: requeue'; unlisted types are skipped"
            }
            error(line: closingLine, column: 1, "missing required key '\(key)'", fix: fix)
        }
        return draft
    }

    private func readId(_ node: Node) -> String? {
        guard let id = text(node, "id", example: "id: downstream-timeout") else { return nil }
        let isKebab = !id.isEmpty && id.split(separator: "-", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
        }
        guard isKebab else {
            let words = id.lowercased().split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
            let suggestion = words.isEmpty ? "downstream-timeout" : words.joined(separator: "-")
            error(node, "id '\(id)' is not kebab-case", fix: "use lowercase letters, digits and single hyphens, e.g. '\(suggestion)'")
            return nil
        }
        return id
    }

    private func readDLQ(_ node: Node) -> [String] {
        let example = "dlq: orders-dlq, or a list such as dlq: [orders-dlq, \"payments-*\"]"
        let items: [(String, Node)]
        if case .sequence = node {
            items = textList(node, "dlq", example: example) ?? []
            if items.isEmpty, case let .sequence(sequence) = node, sequence.isEmpty {
                error(node, "'dlq' is an empty list", fix: "name at least one DLQ: \(example)")
            }
        } else if let single = text(node, "dlq", example: example) {
            items = [(single, node)]
        } else {
            items = []
        }
        return items.compactMap { checkedQueueName($0.0, $0.1, "dlq", allowGlob: true) }
    }

    /// The name if SQS could hold it (or, with `allowGlob`, a pattern over such names).
    func checkedQueueName(_ name: String, _ node: Node, _ field: String, allowGlob: Bool) -> String? {
        let quote = quoteOffset(node)
        if let bad = name.unicodeScalars.firstIndex(where: { c in
            !(c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "-_.".unicodeScalars.contains(c)))
                && !(allowGlob && (c == "*" || c == "?"))
        }) {
            let offset = name.unicodeScalars.distance(from: name.unicodeScalars.startIndex, to: bad)
            let char = name.unicodeScalars[bad]
            let fix = !allowGlob && (char == "*" || char == "?")
                ? "'\(field)' names exactly one queue; globs are for 'dlq'"
                : "queue names hold only letters, digits, '-', '_' and a '.fifo' suffix\(allowGlob ? "; '*' and '?' are wildcards" : "")"
            error(node, "\(field) '\(name)' has a character a queue name cannot hold: '\(char)'", fix: fix, offset: quote + offset)
            return nil
        }
        guard name.count <= 80 else {
            error(node, "\(field) '\(name.prefix(20))…' is longer than 80 characters", fix: "SQS queue names are at most 80 characters")
            return nil
        }
        return name
    }

    /// Columns to skip to reach a scalar's text: 1 for a quoted scalar (its mark is the quote).
    func quoteOffset(_ node: Node) -> Int {
        guard case let .scalar(scalar) = node else { return 0 }
        return scalar.style == .singleQuoted || scalar.style == .doubleQuoted ? 1 : 0
    }

    private func readFilter(_ node: Node, into draft: inout RunbookDraft) {
        if isNull(node) { return }
        guard let entries = mapping(node, "filter", example: "indented keys on the lines below, such as '  min_age: 5m'") else { return }
        checkKeys(entries, known: RunbookKeys.filter, section: "filter")
        var minAgeNode: Node?
        for entry in entries {
            switch entry.key {
            case "error_types":
                guard let items = textList(entry.value, "filter.error_types", example: "error_types: [Timeout, Throttled]") else { continue }
                if items.isEmpty {
                    warning(entry.value, "'filter.error_types' is empty, so every error type is selected",
                            fix: "remove the key, or list the error types this runbook is for")
                }
                var seen = Set<String>()
                for (type, itemNode) in items {
                    if !seen.insert(type).inserted {
                        warning(itemNode, "error type '\(type)' is listed twice in filter.error_types", fix: "remove the repeat")
                    }
                }
                draft.filter.errorTypes = seen
                draft.errorTypeNodes = items
            case "min_age":
                draft.filter.minAge = duration(entry.value, "filter.min_age", example: "min_age: 5m")
                minAgeNode = entry.value
            case "max_age":
                draft.filter.maxAge = duration(entry.value, "filter.max_age", example: "max_age: 3d")
            default: break
            }
        }
        if let minAge = draft.filter.minAge, let maxAge = draft.filter.maxAge, minAge > maxAge, let minAgeNode {
            error(minAgeNode, "filter.min_age \(minAge) is greater than filter.max_age \(maxAge), so nothing would be selected",
                  fix: "lower min_age or raise max_age")
        }
    }

    private func readBatch(_ node: Node, into draft: inout RunbookDraft) {
        if isNull(node) { return }
        guard let entries = mapping(node, "batch", example: "indented keys on the lines below, such as '  size: 10'") else { return }
        checkKeys(entries, known: RunbookKeys.batch, section: "batch")
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "size":
                guard let size = integer(value, "batch.size", example: "size: 10") else { continue }
                if size < 1 {
                    error(value, "batch.size must be at least 1, got \(size)", fix: "write size: 10 (at most \(RunbookBatch.maxSize))")
                } else if size > RunbookBatch.maxSize {
                    warning(value, "batch.size \(size) is above the hard ceiling of \(RunbookBatch.maxSize); \(RunbookBatch.maxSize) is used",
                            fix: "write size: \(RunbookBatch.maxSize) or less")
                }
                draft.batch.size = min(max(size, 1), RunbookBatch.maxSize)
            case "jitter":
                if let jitter = readJitter(value) { draft.batch.jitter = jitter }
            case "max_rate":
                if let rate = readRate(value) { draft.batch.maxRate = rate }
            case "max_messages":
                guard let cap = integer(value, "batch.max_messages", example: "max_messages: 5000") else { continue }
                if cap < 1 {
                    error(value, "batch.max_messages must be at least 1, got \(cap)", fix: "write a positive cap, or remove the key for no limit")
                } else {
                    draft.batch.maxMessages = cap
                }
            case "retry_delay":
                guard let delay = duration(value, "batch.retry_delay", example: "retry_delay: 5m") else { continue }
                if delay > RunbookBatch.maxRetryDelay {
                    error(value, "batch.retry_delay \(delay) is longer than the 15m maximum delivery delay of SQS", fix: "write retry_delay: 15m or less")
                } else {
                    draft.retryDelay = delay
                    draft.retryDelayNode = value
                }
            default: break
            }
        }
    }

    private func readJitter(_ node: Node) -> ClosedRange<TimeSpan>? {
        guard let raw = text(node, "batch.jitter", example: "jitter: 200ms..2s") else { return nil }
        let parts = raw.components(separatedBy: "..")
        let spans = parts.map { try? TimeSpan.parse($0) }
        guard parts.count <= 2, let low = spans.first ?? nil, let high = spans.last ?? nil else {
            error(node, "'batch.jitter': '\(raw)' is not a duration range", fix: "write MIN..MAX such as 200ms..2s, or one duration such as 500ms")
            return nil
        }
        guard low <= high else {
            error(node, "batch.jitter starts at \(low) but ends at \(high)", fix: "put the smaller first: \(high)..\(low)")
            return nil
        }
        return low...high
    }

    private func readRate(_ node: Node) -> Double? {
        guard let raw = text(node, "batch.max_rate", example: "max_rate: 20/s") else { return nil }
        let rate: Double
        do {
            rate = try RunbookBatch.parseRate(raw)
        } catch let error as SluiceError {
            self.error(node, "'batch.max_rate': \(error.message)", fix: error.fix ?? "write max_rate: 20/s")
            return nil
        } catch {
            self.error(node, "'batch.max_rate': '\(raw)' is not a rate", fix: "write max_rate: 20/s")
            return nil
        }
        guard rate > 0 else {
            error(node, "batch.max_rate must be above zero, got '\(raw)'", fix: "write a slow but positive rate such as 1/s or 30/m; remove the key for the default 10/s")
            return nil
        }
        // A vanishing rate (0.000…1/s) once passed and crashed the plan's duration estimate
        // (Double → Int64 overflow); nobody means a redrive slower than one message an hour.
        guard rate >= RunbookBatch.minRatePerSecond else {
            error(node, "batch.max_rate '\(raw)' is below 1/h: a redrive that slow would never finish",
                  fix: "write a slow but real rate such as 1/m or 1/h; remove the key for the default 10/s")
            return nil
        }
        guard rate <= RunbookBatch.maxRatePerSecond else {
            error(node, "batch.max_rate '\(raw)' is above the ceiling of \(Int(RunbookBatch.maxRatePerSecond))/s",
                  fix: "a redrive is meant to be gentle: write a rate at or below \(Int(RunbookBatch.maxRatePerSecond))/s")
            return nil
        }
        return rate
    }

    private func readStrategy(_ node: Node, into draft: inout RunbookDraft) {
        let names = RedriveStrategy.allCases.map(\.rawValue)
        let example = "one indented line per error type below it, such as '  Timeout: requeue'"
        let emptyFix = "list each error type with what to do, e.g. 'Timeout: requeue'; unlisted types are skipped"
        if isNull(node) {
            error(node, "'strategy' is empty", fix: emptyFix)
            return
        }
        guard let entries = mapping(node, "strategy", example: example) else { return }
        if entries.isEmpty {
            error(node, "'strategy' is empty", fix: emptyFix)
            return
        }
        for entry in entries {
            if entry.key == "*" {
                error(entry.keyNode, "'*' is not an error type", fix: "types without a strategy are always skipped; name each type to move or discard")
                continue
            }
            if entry.key == "retry_delay" {
                error(entry.keyNode, "'retry_delay' is not an error type", fix: "'retry_delay' belongs under 'batch:'; indent it there")
                continue
            }
            guard let name = text(entry.value, "strategy.\(entry.key)", example: "\(entry.key): requeue") else { continue }
            guard let strategy = RedriveStrategy(rawValue: name) else {
                let fix = Spelling.closest(to: name, among: names).map { "did you mean '\($0)'?" } ?? "use one of \(names.joined(separator: ", "))"
                error(entry.value, "unknown strategy '\(name)' for error type '\(entry.key)'", fix: fix)
                continue
            }
            draft.strategies[entry.key] = strategy
            draft.strategyNodes.append((entry.key, entry.keyNode))
        }
    }

    private func readRequire(_ node: Node, into draft: inout RunbookDraft) {
        if isNull(node) { return }
        guard let entries = mapping(node, "require", example: "an indented key on the line below: '  root_cause_ack: true'") else { return }
        checkKeys(entries, known: RunbookKeys.require, section: "require")
        for entry in entries where entry.key == "root_cause_ack" {
            draft.requireRootCauseAck = boolean(entry.value, "require.root_cause_ack") ?? false
        }
    }
}
