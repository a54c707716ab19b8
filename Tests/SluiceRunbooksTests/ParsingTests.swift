import SluiceCore
import SluiceRunbooks
import Testing

enum RunbookParserHelper {
    static func parse(_ text: String) throws -> Runbook {
        try RunbookParser.parse(text: text, path: "test.md")
    }
}

@Suite("Runbook parsing")
struct ParsingTests {
    @Test("the DESIGN §4 example parses, with warnings for the types its filter and strategy disagree on")
    func designExample() throws {
        let runbook = try RunbookParserHelper.parse("""
        ---
        id: downstream-timeout
        title: Redrive after a downstream outage
        dlq: orders-dlq            # glob allowed; the source queue comes from the redrive policy
        filter:
          error_types: [Timeout, Throttled]
          min_age: 5m              # recent failures may still be part of the incident
          max_age: 3d
        batch:
          size: 10                 # hard ceiling 100, whatever the runbook says
          jitter: 200ms..2s        # random pause between batches
          max_rate: 20/s
          max_messages: 5000
        strategy:                  # per error type: requeue | retry-later | discard | skip
          Timeout: requeue
          ValidationError: discard
        guards:                    # checked before every batch
          - pause_if: depth(orders) > 1000
          - abort_if: alarm(orders-worker-errors) == ALARM
          - abort_if: returned_ratio > 0.2   # redriven messages landing back in the DLQ
        require:
          root_cause_ack: true     # the operator types what was fixed; it goes into the journal
        ---
        # Redrive after a downstream outage
        1. Confirm the payment API is healthy ...
        """)
        #expect(runbook.title == "Redrive after a downstream outage")
        #expect(runbook.batch == RunbookBatch(size: 10, jitter: .milliseconds(200)...(.seconds(2)), maxRate: 20, maxMessages: 5000))
        #expect(runbook.strategies == ["Timeout": .requeue, "ValidationError": .discard])
        #expect(runbook.guards.count == 3)
        #expect(runbook.requireRootCauseAck)
        #expect(runbook.prose.hasPrefix("# Redrive after a downstream outage\n1. Confirm"))
        #expect(runbook.warnings.map { "\($0.line):\($0.column)" } == ["6:26", "16:3"])
        #expect(runbook.warnings[0].message.contains("'Throttled' is selected by filter.error_types but has no strategy"))
        #expect(runbook.warnings[1].message.contains("strategy for 'ValidationError' never applies"))
    }

    @Test("defaults for every key left out")
    func defaults() throws {
        let runbook = try RunbookParserHelper.parse("---\nid: minimal\ndlq: orders-dlq\nstrategy:\n  Timeout: requeue\n---\n\nText only.\n")
        #expect(runbook.title == "minimal", "no title and no heading: the id")
        #expect(runbook.filter == .all)
        #expect(runbook.batch.size == 10)
        #expect(runbook.batch.jitter == TimeSpan.milliseconds(200)...TimeSpan.seconds(2))
        #expect(runbook.batch.maxRate == 10)
        #expect(runbook.batch.maxMessages == nil)
        #expect(runbook.retryDelay == .minutes(5))
        #expect(runbook.guards.isEmpty)
        #expect(!runbook.requireRootCauseAck)
        #expect(runbook.requireDiscardConfirmation)
        #expect(runbook.destination == nil)
        #expect(runbook.warnings.isEmpty)
        #expect(runbook.sourcePath == "test.md")
    }

    @Test("destination, retry-later with retry_delay, dlq lists, single-duration jitter, per-minute rates")
    func optionalKeys() throws {
        let runbook = try RunbookParserHelper.parse("""
        ---
        id: lambda-async
        dlq: [orders-fn-dlq, "payments-*-dlq"]
        destination: orders
        batch:
          jitter: 1s
          max_rate: 600/m
          retry_delay: 10m
        strategy:
          Throttled: retry-later
          Timeout: skip
        filter:
          error_types: []
        require:
          root_cause_ack: no
        guards:
        ---
        # Lambda async DLQ
        """)
        #expect(runbook.title == "Lambda async DLQ")
        #expect(runbook.dlqPatterns == ["orders-fn-dlq", "payments-*-dlq"])
        #expect(runbook.appliesTo(queue: "payments-eu-dlq"))
        #expect(runbook.destination == "orders")
        #expect(runbook.batch.jitter == TimeSpan.seconds(1)...TimeSpan.seconds(1))
        #expect(runbook.batch.maxRate == 10)
        #expect(runbook.retryDelay == .minutes(10))
        #expect(runbook.strategy(for: "Throttled") == .retryLater)
        #expect(runbook.strategy(for: "Timeout") == .skip)
        #expect(runbook.strategy(for: "Anything") == .skip)
        #expect(!runbook.requireRootCauseAck)
        #expect(runbook.guards.isEmpty)
        #expect(runbook.warnings.map(\.message) == ["'filter.error_types' is empty, so every error type is selected"])
    }

    @Test("retry_delay without a retry-later strategy is a warning, not an error")
    func unusedRetryDelay() throws {
        let runbook = try RunbookParserHelper.parse("---\nid: r\ndlq: q\nbatch:\n  retry_delay: 1m\nstrategy:\n  Timeout: requeue\n---\n")
        #expect(runbook.warnings.map { "\($0.line):\($0.column)" } == ["5:16"])
    }

    @Test("rates read in every unit and print in the unit that reads best", arguments: [
        ("20/s", 20.0, "20/s"), ("600/m", 10.0, "10/s"), ("30/m", 0.5, "30/m"), ("5/h", 5.0 / 3600, "5/h"),
        ("7", 7.0, "7/s"), ("0.5", 0.5, "30/m"), (" 12 / s ", 12.0, "12/s"),
    ] as [(String, Double, String)])
    func rates(text: String, perSecond: Double, printed: String) throws {
        let rate = try RunbookBatch.parseRate(text)
        #expect(abs(rate - perSecond) < 1e-12)
        #expect(RunbookBatch.formatRate(rate) == printed)
    }

    @Test("rates that are not rates are refused", arguments: ["fast", "20/d", "/s", "-3/s", "1e3", ""])
    func badRates(text: String) {
        #expect(throws: SluiceError.self) { try RunbookBatch.parseRate(text) }
    }

    @Test("did-you-mean suggests near misses only")
    func spelling() {
        #expect(Spelling.closest(to: "sise", among: ["size", "jitter"]) == "size")
        #expect(Spelling.closest(to: "maxrate", among: ["max_rate", "max_messages"]) == "max_rate")
        #expect(Spelling.closest(to: "strategies", among: RunbookKeysForTests.top) == "strategy")
        #expect(Spelling.closest(to: "colour", among: RunbookKeysForTests.top) == nil)
        #expect(Spelling.distance("ab", "ba") == 1)
    }

    @Test("a diagnostic prints as file:line:column: severity: message — fix")
    func diagnosticFormat() {
        let d = RunbookDiagnostic(file: "runbooks/a.md", line: 3, column: 7, severity: .warning, message: "m", fix: "f")
        #expect(d.description == "runbooks/a.md:3:7: warning: m — f")
        #expect(RunbookDiagnostic.refusal([d]) == nil, "warnings never refuse a runbook")
    }
}

enum RunbookKeysForTests {
    static let top = ["id", "title", "dlq", "destination", "filter", "batch", "strategy", "guards", "require"]
}
