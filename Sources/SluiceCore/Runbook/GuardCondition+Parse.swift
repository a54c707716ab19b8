/// Why a guard condition could not be read, and where in its text.
public struct GuardConditionError: Error, Sendable, Hashable {
    /// What is wrong, e.g. `unknown metric 'depht'`.
    public var message: String
    /// How to fix it, e.g. `did you mean 'depth'?`.
    public var fix: String
    /// Offset of the offending token in the condition text, in Unicode scalars.
    public var offset: Int

    /// Creates an error.
    public init(message: String, fix: String, offset: Int) {
        self.message = message
        self.fix = fix
        self.offset = offset
    }
}

extension GuardCondition {
    private enum Threshold {
        case count, duration, fraction, alarmState
    }

    private static func threshold(of metric: String) -> Threshold {
        switch metric {
        case "oldest_age": .duration
        case "returned_ratio": .fraction
        case "alarm": .alarmState
        default: .count
        }
    }

    private static func takesArgument(_ metric: String) -> Bool {
        ["depth", "in_flight", "oldest_age", "alarm"].contains(metric)
    }

    private static let example = "e.g. 'depth(orders) > 1000', 'alarm(orders-worker-errors) == ALARM', 'returned_ratio > 0.2'"

    /// Parses `METRIC[(ARG)] OP VALUE`, e.g. `depth(orders) > 1000` or `returned_ratio > 0.2`.
    ///
    /// - Throws: ``GuardConditionError`` with the offset of the offending token.
    public static func parse(_ text: String) throws(GuardConditionError) -> GuardCondition {
        let s = Array(text.unicodeScalars)
        var i = 0
        func skipSpaces() { while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 } }
        func fail(_ message: String, _ fix: String, at offset: Int) -> GuardConditionError {
            GuardConditionError(message: message, fix: fix, offset: min(offset, max(s.count - 1, 0)))
        }
        func isNameScalar(_ c: Unicode.Scalar) -> Bool {
            c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_"
        }

        skipSpaces()
        guard i < s.count else { throw fail("guard condition is empty", "write a condition, \(example)", at: 0) }
        let metricStart = i
        while i < s.count, isNameScalar(s[i]) { i += 1 }
        let metric = String(String.UnicodeScalarView(s[metricStart..<i]))
        guard !metric.isEmpty else {
            throw fail("guard condition must start with a metric", "use one of \(metrics.joined(separator: ", ")); \(example)", at: metricStart)
        }
        guard metrics.contains(metric) else {
            let fix = Spelling.closest(to: metric, among: metrics).map { "did you mean '\($0)'?" }
                ?? "use one of \(metrics.joined(separator: ", "))"
            throw fail("unknown guard metric '\(metric)'", fix, at: metricStart)
        }

        var argument: String?
        var argumentStart = i
        skipSpaces()
        if i < s.count, s[i] == "(" {
            let open = i
            i += 1
            argumentStart = i
            while i < s.count, s[i] != ")" { i += 1 }
            guard i < s.count else {
                throw fail("'(' after '\(metric)' is never closed", "write \(metric)(NAME) with a closing ')'", at: open)
            }
            argument = String(String.UnicodeScalarView(s[argumentStart..<i])).trimmingSpaces()
            i += 1
            guard takesArgument(metric) else {
                let what = metric == "dlq_depth" ? "it is always the DLQ being redriven" : "it counts this redrive's own messages"
                throw fail("'\(metric)' takes no queue or alarm name: \(what)", "write '\(metric) > N' without parentheses", at: open)
            }
            guard let name = argument, !name.isEmpty else {
                throw fail("'\(metric)()' needs a \(metric == "alarm" ? "alarm" : "queue") name", "write \(metric)(\(metric == "alarm" ? "orders-worker-errors" : "orders"))", at: open)
            }
            // Alarm names may hold spaces (CloudWatch allows them); queue names never do.
            let forbidden: Set<Unicode.Scalar> = metric == "alarm" ? ["("] : [" ", "(", "*", "?"]
            if let bad = name.unicodeScalars.firstIndex(where: forbidden.contains) {
                let offset = argumentStart + name.unicodeScalars.distance(from: name.unicodeScalars.startIndex, to: bad)
                throw fail("'\(name)' is not a single \(metric == "alarm" ? "alarm" : "queue") name", "name exactly one; globs are not allowed in guards", at: offset)
            }
        } else if takesArgument(metric) {
            let noun = metric == "alarm" ? "an alarm" : "a queue"
            let sample = metric == "alarm" ? "orders-worker-errors" : "orders"
            throw fail("'\(metric)' needs \(noun) in parentheses", "write \(metric)(\(sample))", at: metricStart + metric.unicodeScalars.count)
        }

        skipSpaces()
        let opStart = i
        while i < s.count, "<>=!".unicodeScalars.contains(s[i]) { i += 1 }
        let opText = String(String.UnicodeScalarView(s[opStart..<i]))
        let subject = argument.map { "\(metric)(\($0))" } ?? metric
        guard !opText.isEmpty else {
            throw fail("expected a comparison after '\(subject)'", "use one of > >= < <= == !=, \(example)", at: opStart)
        }
        guard let op = GuardComparison(rawValue: opText) else {
            let fix = opText == "=" ? "use '==' to test equality" : (opText == "=>" ? "write '>='" : (opText == "=<" ? "write '<='" : "use one of > >= < <= == !="))
            throw fail("'\(opText)' is not a comparison", fix, at: opStart)
        }
        skipSpaces()
        let valueStart = i
        let value = String(String.UnicodeScalarView(s[valueStart...])).trimmingSpaces()
        guard !value.isEmpty else {
            throw fail("expected a value after '\(subject) \(opText)'", "write a threshold, \(example)", at: opStart)
        }

        switch threshold(of: metric) {
        case .count:
            guard value.allSatisfy({ $0.isASCII && $0.isNumber }), value.count <= 12, let n = Int(value) else {
                let negative = value.hasPrefix("-") && Int(value) != nil
                throw fail(negative ? "'\(subject)' cannot be compared with a negative count" : "'\(subject)' compares with a message count, got '\(value)'",
                           "write a whole number of messages, e.g. \(subject) \(opText) 1000", at: valueStart)
            }
            return metric == "depth" ? .depth(queue: argument!, op, n)
                : metric == "in_flight" ? .inFlight(queue: argument!, op, n) : .dlqDepth(op, n)
        case .duration:
            if value.allSatisfy({ $0.isASCII && $0.isNumber }), value != "0" {
                throw fail("'\(subject)' compares with a duration, got the bare number '\(value)'", "add a unit: \(value)s, \(value)m or \(value)h", at: valueStart)
            }
            guard let age = try? TimeSpan.parse(value) else {
                throw fail("'\(value)' is not a duration", "write a number and a unit: 30s, 10m, 2h, 1d", at: valueStart)
            }
            return .oldestAge(queue: argument!, op, age)
        case .fraction:
            if value.hasSuffix("%"), let percent = Double(value.dropLast()) {
                throw fail("returned_ratio is a fraction, not a percentage", "write \(formatNumber(percent / 100)) for \(value)", at: valueStart)
            }
            guard value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }), let ratio = Double(value) else {
                throw fail("'returned_ratio' compares with a fraction, got '\(value)'", "write a number between 0 and 1, e.g. returned_ratio > 0.1", at: valueStart)
            }
            guard (0...1).contains(ratio) else {
                throw fail("returned_ratio \(value) is outside 0..1", "write a fraction between 0 and 1: 0.1 means one in ten redriven messages came back", at: valueStart)
            }
            return .returnedRatio(op, ratio)
        case .alarmState:
            guard op == .equal || op == .notEqual else {
                throw fail("an alarm state can only be compared with == or !=", "write alarm(\(argument!)) == ALARM", at: opStart)
            }
            guard let state = AlarmState(rawValue: value) else {
                let names = AlarmState.allCases.map(\.rawValue)
                let fix = AlarmState(rawValue: value.uppercased()).map { "write '\($0.rawValue)' in capitals" }
                    ?? Spelling.closest(to: value, among: names).map { "did you mean '\($0)'?" }
                    ?? "use one of \(names.joined(separator: ", "))"
                throw fail("'\(value)' is not an alarm state", fix, at: valueStart)
            }
            return .alarm(name: argument!, op, state)
        }
    }
}
