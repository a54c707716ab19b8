import SluiceCore
import Testing

@Suite("Guards")
struct GuardTests {
    @Test("each condition kind parses to its value and prints back canonically", arguments: [
        ("depth(orders) > 1000", GuardCondition.depth(queue: "orders", .greater, 1000), "depth(orders) > 1000"),
        ("in_flight( orders ) >= 500", .inFlight(queue: "orders", .greaterOrEqual, 500), "in_flight(orders) >= 500"),
        ("oldest_age(orders) > 10m", .oldestAge(queue: "orders", .greater, .minutes(10)), "oldest_age(orders) > 10m"),
        ("alarm(orders-worker-errors) == ALARM", .alarm(name: "orders-worker-errors", .equal, .alarm), "alarm(orders-worker-errors) == ALARM"),
        ("alarm(x)!=OK", .alarm(name: "x", .notEqual, .ok), "alarm(x) != OK"),
        ("returned_ratio > 0.2", .returnedRatio(.greater, 0.2), "returned_ratio > 0.2"),
        ("dlq_depth<=0", .dlqDepth(.lessOrEqual, 0), "dlq_depth <= 0"),
        ("depth(orders.fifo) < 5", .depth(queue: "orders.fifo", .less, 5), "depth(orders.fifo) < 5"),
        ("alarm(Orders worker errors) == ALARM", .alarm(name: "Orders worker errors", .equal, .alarm), "alarm(Orders worker errors) == ALARM"),
    ])
    func parses(text: String, expected: GuardCondition, canonical: String) throws {
        let condition = try GuardCondition.parse(text)
        #expect(condition == expected)
        #expect(condition.description == canonical)
        #expect(try GuardCondition.parse(canonical) == expected, "the canonical form reads back")
    }

    @Test("unparsable conditions point at the offending token", arguments: [
        ("", 0, "empty"),
        ("> 5", 0, "must start with a metric"),
        ("queue_depth(orders) > 5", 0, "unknown guard metric 'queue_depth'"),
        ("depth(orders > 5", 5, "never closed"),
        ("depth() > 5", 5, "needs a queue name"),
        ("depth(orders-*) > 5", 13, "not a single queue name"),
        ("depth(orders) 5", 14, "expected a comparison"),
        ("depth(orders) =< 5", 14, "'=<' is not a comparison"),
        ("depth(orders) >", 14, "expected a value"),
        ("depth(orders) > -1", 16, "negative count"),
        ("depth(orders) > 1000 messages", 16, "message count"),
        ("oldest_age(orders) > soon", 21, "not a duration"),
        ("returned_ratio > -0.1", 17, "outside 0..1"),
        ("returned_ratio(orders) > 0.1", 14, "takes no queue"),
        ("alarm(x) == alarm", 12, "write 'ALARM' in capitals"),
    ])
    func refuses(text: String, offset: Int, message: String) {
        do {
            let parsed = try GuardCondition.parse(text)
            Issue.record("'\(text)' parsed as \(parsed)")
        } catch {
            #expect(error.offset == offset, "'\(text)': \(error.message)")
            #expect((error.message + " " + error.fix).contains(message), "'\(text)': \(error.message) — \(error.fix)")
            #expect(!error.fix.isEmpty)
        }
    }

    static func guardOf(_ text: String, _ action: RunbookGuard.Action = .pause) -> RunbookGuard {
        RunbookGuard(action: action, condition: try! GuardCondition.parse(text))
    }

    static let busy = GuardObservations(
        depth: ["orders": 1312, "payments": 3],
        inFlight: ["orders": 40],
        oldestAge: ["orders": .minutes(12)],
        alarms: ["orders-worker-errors": .alarm, "payments-worker-errors": .ok],
        returnedRatio: 0.25,
        dlqDepth: 900
    )

    @Test("every condition kind trips, clears, or is unknown, with a reason that shows the value", arguments: [
        ("depth(orders) > 1000", GuardVerdict.State.tripped, "depth(orders) = 1312 > 1000"),
        ("depth(payments) > 1000", .clear, "depth(payments) = 3, not > 1000"),
        ("depth(shipping) > 1000", .unknown, "depth(shipping) is unknown (not observed)"),
        ("in_flight(orders) >= 40", .tripped, "in_flight(orders) = 40 >= 40"),
        ("in_flight(orders) > 40", .clear, "in_flight(orders) = 40, not > 40"),
        ("in_flight(payments) > 0", .unknown, "in_flight(payments) is unknown (not observed)"),
        ("oldest_age(orders) > 10m", .tripped, "oldest_age(orders) = 12m > 10m"),
        ("oldest_age(orders) > 1h", .clear, "oldest_age(orders) = 12m, not > 1h"),
        ("oldest_age(payments) > 1h", .unknown, "oldest_age(payments) is unknown (not observed)"),
        ("alarm(orders-worker-errors) == ALARM", .tripped, "alarm(orders-worker-errors) is ALARM"),
        ("alarm(payments-worker-errors) == ALARM", .clear, "alarm(payments-worker-errors) is OK, not ALARM"),
        ("alarm(payments-worker-errors) != OK", .clear, "alarm(payments-worker-errors) is OK"),
        ("alarm(orders-worker-errors) != OK", .tripped, "alarm(orders-worker-errors) is ALARM, not OK"),
        ("alarm(missing) == ALARM", .unknown, "alarm(missing) is unknown (no such alarm observed)"),
        ("returned_ratio > 0.2", .tripped, "returned_ratio = 0.25 > 0.2"),
        ("returned_ratio > 0.3", .clear, "returned_ratio = 0.25, not > 0.3"),
        ("dlq_depth < 1000", .tripped, "dlq_depth = 900 < 1000"),
        ("dlq_depth == 0", .clear, "dlq_depth = 900, not == 0"),
    ])
    func evaluates(text: String, state: GuardVerdict.State, reason: String) {
        let verdict = Self.guardOf(text).evaluate(Self.busy)
        #expect(verdict.state == state)
        #expect(verdict.reason == reason)
    }

    @Test("returned_ratio and dlq_depth are unknown before they are observed")
    func unknownScalars() {
        let empty = GuardObservations()
        #expect(Self.guardOf("returned_ratio > 0.1").evaluate(empty).state == .unknown)
        #expect(Self.guardOf("dlq_depth > 0").evaluate(empty).state == .unknown)
    }

    @Test("abort wins over pause, unknown never trips, the deciding guard is named")
    func report() {
        let guards = [
            Self.guardOf("depth(orders) > 1000", .pause),
            Self.guardOf("alarm(orders-worker-errors) == ALARM", .abort),
            Self.guardOf("depth(nowhere) > 0", .abort),
        ]
        let both = guards.evaluate(Self.busy)
        #expect(both.decision == .abort)
        #expect(both.deciding?.runbookGuard == guards[1])
        #expect(both.unknown.map(\.runbookGuard) == [guards[2]])

        var calmer = Self.busy
        calmer.alarms["orders-worker-errors"] = .ok
        let paused = guards.evaluate(calmer)
        #expect(paused.decision == .pause)
        #expect(paused.deciding?.reason == "depth(orders) = 1312 > 1000")

        calmer.depth["orders"] = 10
        let clear = guards.evaluate(calmer)
        #expect(clear.decision == .proceed)
        #expect(clear.deciding == nil)
        #expect(clear.verdicts.count == 3)

        #expect([RunbookGuard]().evaluate(Self.busy).decision == .proceed)
    }

    @Test("guards read from a file keep their source text and position")
    func positions() throws {
        let runbook = try RunbookParserHelper.parse("""
        ---
        id: g
        dlq: orders-dlq
        strategy:
          Timeout: requeue
        guards:
          - pause_if: depth(orders) > 1000   # comment is not part of it
          - abort_if: 'returned_ratio > 0.2'
        ---
        """)
        #expect(runbook.guards.map(\.sourceText) == ["depth(orders) > 1000", "returned_ratio > 0.2"])
        #expect(runbook.guards.map(\.line) == [7, 8])
        #expect(runbook.guards.map(\.column) == [15, 16])
        #expect(runbook.guards.map(\.description) == ["pause_if: depth(orders) > 1000", "abort_if: returned_ratio > 0.2"])
    }
}
