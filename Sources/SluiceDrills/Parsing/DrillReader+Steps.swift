import SluiceCore
import Yams

/// Reading the `operator:` and `expect:` sections.
extension DrillReader {
    static let stepVerbs = ["redrive", "pause", "resume", "abort"]
    static let stepKeys = stepVerbs + ["at", "runbook", "ack", "filter", "limit", "reason"]
    static let filterKeys = ["error_types", "min_age", "max_age"]

    func steps(_ node: Node) -> [(OperatorStep, Entry?)] {
        guard let items = sequence(node, "operator", example: "operator:\n  - at: 20m\n    redrive: orders-dlq\n    runbook: downstream-timeout") else { return [] }
        return items.compactMap { item in
            guard let keys = mapping(item, "operator step", example: "- at: 20m\n    redrive: orders-dlq\n    runbook: downstream-timeout") else { return nil }
            checkKeys(keys, allowed: Self.stepKeys, in: "an operator step")
            let verbs = keys.filter { Self.stepVerbs.contains($0.key) }
            guard verbs.count == 1, let verb = verbs.first else {
                error(item, verbs.isEmpty ? "an operator step must say what the operator does" : "an operator step does more than one thing (\(verbs.map(\.key).joined(separator: ", ")))",
                      fix: "use exactly one of: \(Self.stepVerbs.map { "\($0): DLQ" }.joined(separator: ", "))")
                return nil
            }
            guard let atNode = value(keys, "at") else {
                error(verb.keyNode, "the \(verb.key) step has no 'at'", fix: "add 'at: 20m' (drill time the operator acts)")
                return nil
            }
            guard let dlq = name(verb.value, verb.key), let at = span(atNode, "at") else { return nil }
            let line = verb.line
            func refuse(_ key: String) {
                if let n = value(keys, key) { error(n, "'\(key)' does not apply to a \(verb.key) step", fix: "remove it") }
            }
            switch verb.key {
            case "redrive":
                guard let runbookNode = value(keys, "runbook") else {
                    error(verb.keyNode, "the redrive step has no 'runbook'", fix: "add 'runbook: ID' (a runbook in the runbook folder)")
                    return nil
                }
                refuse("reason")
                guard let runbook = name(runbookNode, "runbook") else { return nil }
                let ack = value(keys, "ack").flatMap { string($0, "ack") }
                let limit = value(keys, "limit").flatMap { int($0, "limit", 1...10_000_000) }
                var filter = MessageFilter.all
                if let f = value(keys, "filter"), let fk = mapping(f, "filter", example: "filter: {error_types: [Timeout], min_age: 5m}") {
                    checkKeys(fk, allowed: Self.filterKeys, in: "the step's filter")
                    if let n = value(fk, "error_types") { filter.errorTypes = Set(texts(n, "error_types") ?? []) }
                    if let n = value(fk, "min_age") { filter.minAge = span(n, "min_age") }
                    if let n = value(fk, "max_age") { filter.maxAge = span(n, "max_age") }
                    if filter.isEmptyWindow { error(f, "filter.min_age is above filter.max_age: nothing can match", fix: "swap them") }
                }
                let runbookEntry = keys.first { $0.key == "runbook" }
                return (OperatorStep(at: at, action: .redrive(dlq: dlq, runbook: runbook, ack: ack, filter: filter, limit: limit), line: line), runbookEntry)
            case "abort":
                ["runbook", "ack", "filter", "limit"].forEach(refuse)
                let reason = value(keys, "reason").flatMap { string($0, "reason") } ?? "aborted by the operator"
                return (OperatorStep(at: at, action: .abort(dlq: dlq, reason: reason), line: line), nil)
            default:
                ["runbook", "ack", "filter", "limit", "reason"].forEach(refuse)
                return (OperatorStep(at: at, action: verb.key == "pause" ? .pause(dlq: dlq) : .resume(dlq: dlq), line: line), nil)
            }
        }
    }

    static let expectationKinds = ["alarm", "guard_paused", "dlq_only", "redrive", "latency"] + DrillCounter.allCases.map(\.name)
    static let expectationKeys = expectationKinds + ["fires_within", "after", "clears_within", "never", "error_types", "ends", "p50", "p90", "p95", "p99", "max"]

    func expectations(_ node: Node) -> [(DrillExpectation, Entry)] {
        guard let items = sequence(node, "expect", example: "expect:\n  - lost: 0\n  - alarm: orders-dlq-not-empty\n    fires_within: 10m") else { return [] }
        return items.compactMap { item in
            guard let keys = mapping(item, "expectation", example: "- lost: 0") else { return nil }
            let heads = keys.filter { Self.expectationKinds.contains($0.key) }
            guard heads.count == 1, let head = heads.first else {
                let unknown = keys.first { !Self.expectationKeys.contains($0.key) }
                if heads.isEmpty, let unknown {
                    let suggestion = Spelling.closest(to: unknown.key, among: Self.expectationKinds)
                    error(unknown.keyNode, "unknown expectation '\(unknown.key)'", fix: suggestion.map { "did you mean '\($0)'?" } ?? "expectations start with one of: \(Self.expectationKinds.joined(separator: ", "))")
                } else {
                    error(item, heads.isEmpty ? "an expectation must say what it checks" : "an expectation checks more than one thing (\(heads.map(\.key).joined(separator: ", ")))",
                          fix: "start each '- ' item with one of: \(Self.expectationKinds.joined(separator: ", "))")
                }
                return nil
            }
            let line = head.line
            let allowedExtra: [String]
            switch head.key {
            case "alarm": allowedExtra = ["fires_within", "after", "clears_within", "never"]
            case "dlq_only": allowedExtra = ["error_types"]
            case "redrive": allowedExtra = ["ends"]
            case "latency": allowedExtra = ["p50", "p90", "p95", "p99", "max"]
            default: allowedExtra = []
            }
            checkKeys(keys.filter { $0.key != head.key }, allowed: allowedExtra, in: "a '\(head.key)' expectation")
            guard let kind = expectation(head, keys) else { return nil }
            return (DrillExpectation(kind, line: line), head)
        }
    }

    private func expectation(_ head: Entry, _ keys: [Entry]) -> DrillExpectation.Kind? {
        switch head.key {
        case "alarm":
            guard let alarm = name(head.value, "alarm") else { return nil }
            if let n = value(keys, "never") {
                guard bool(n, "never") == true else {
                    error(n, "never: must be true", fix: "write 'never: true', or use fires_within")
                    return nil
                }
                return .alarmNever(alarm: alarm)
            }
            guard let withinNode = value(keys, "fires_within") else {
                error(head.keyNode, "the alarm expectation needs 'fires_within' or 'never: true'", fix: "add 'fires_within: 10m'")
                return nil
            }
            guard let within = span(withinNode, "fires_within", min: .seconds(1)) else { return nil }
            let after = value(keys, "after").flatMap { span($0, "after") } ?? .zero
            let clears = value(keys, "clears_within").flatMap { span($0, "clears_within", min: .seconds(1)) }
            return .alarmFires(alarm: alarm, within: within, after: after, clearsWithin: clears)
        case "guard_paused":
            return name(head.value, "guard_paused").map { .guardPaused(runbook: $0) }
        case "dlq_only":
            guard let queue = name(head.value, "dlq_only") else { return nil }
            let types = value(keys, "error_types").flatMap { texts($0, "error_types") } ?? []
            return .dlqOnly(queue: queue, errorTypes: types.sorted())
        case "redrive":
            guard let runbook = name(head.value, "redrive") else { return nil }
            guard let endsNode = value(keys, "ends"), let text = string(endsNode, "ends") else {
                error(head.keyNode, "the redrive expectation needs 'ends'", fix: "add 'ends: completed' (or aborted, cancelled, interrupted)")
                return nil
            }
            guard let state = RedriveJobState(rawValue: text), state.isFinal || state == .interrupted || state == .paused else {
                error(endsNode, "ends: '\(text)' is not a final redrive state", fix: "use completed, aborted, cancelled, interrupted or paused")
                return nil
            }
            return .redriveEnds(runbook: runbook, state: state)
        case "latency":
            guard let queues = string(head.value, "latency") else { return nil }
            let percentiles: [(String, Double)] = [("p50", 50), ("p90", 90), ("p95", 95), ("p99", 99), ("max", 100)]
            let given = percentiles.filter { value(keys, $0.0) != nil }
            guard given.count == 1, let (key, percentile) = given.first, let n = value(keys, key) else {
                error(head.keyNode, "the latency expectation needs exactly one of p50, p90, p95, p99, max", fix: "e.g. 'p99: 30s'")
                return nil
            }
            return span(n, key).map { .latency(queues: queues, percentile: percentile, below: $0) }
        default:
            guard let counter = DrillCounter(rawValue: head.key) else { return nil }
            if case .mapping = head.value, let bounds = mapping(head.value, head.key, example: "\(head.key): {min: 1, max: 10}") {
                checkKeys(bounds, allowed: ["min", "max", "equals"], in: "'\(head.key)'")
                if let eq = value(bounds, "equals").flatMap({ int($0, "equals", 0...Int.max) }) { return .counter(counter, min: eq, max: eq) }
                let lo = value(bounds, "min").flatMap { int($0, "min", 0...Int.max) }
                let hi = value(bounds, "max").flatMap { int($0, "max", 0...Int.max) }
                guard lo != nil || hi != nil else {
                    error(head.value, "'\(head.key)' needs min, max or equals", fix: "e.g. \(head.key): {max: 0}")
                    return nil
                }
                return .counter(counter, min: lo, max: hi)
            }
            return int(head.value, head.key, 0...Int.max).map { .counter(counter, min: nil, max: $0) }
        }
    }
}
