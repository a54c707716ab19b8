import SluiceCore
import Testing

/// A drill file with one mistake, and where and how it must be reported.
struct BadDrill: Sendable, CustomTestStringConvertible {
    let name: String
    /// Text of ``base`` with `old` replaced by `new`.
    let text: String
    let line: Int
    let column: Int
    /// A fragment of the error's message.
    let message: String
    /// A fragment of the error's fix, when it matters.
    let fix: String?

    init(_ name: String, _ old: String, _ new: String, at line: Int, _ column: Int, _ message: String, fix: String? = nil) {
        precondition(BadDrill.base.contains(old), "case \(name): '\(old)' is not in the base drill")
        self.name = name
        text = BadDrill.base.replacingOccurrences(of: old, with: new)
        self.line = line
        self.column = column
        self.message = message
        self.fix = fix
    }

    var testDescription: String { name }

    /// A valid drill; each case breaks one thing. Line numbers in the cases refer to this text.
    static let base = """
    id: bad-drill
    duration: 10m
    queues:
      orders:
        visibility_timeout: 30s
        dlq: orders-dlq
      orders-dlq: {}
    producers:
      checkout:
        to: orders
        rate: 5/s
    workers:
      order-worker:
        from: orders
        timeout: 10s
    faults:
      - outage: order-worker
        at: 2m
        for: 1m
    operator:
      - at: 5m
        redrive: orders-dlq
        runbook: fast-timeout
        ack: "fixed"
    expect:
      - lost: 0

    """
}

let badDrills: [BadDrill] = [
    BadDrill("unknown top-level key", "duration: 10m", "duration: 10m\ndurration: 5m", at: 3, 1, "unknown key 'durration' in the drill", fix: "did you mean 'duration'?"),
    BadDrill("bad duration", "duration: 10m", "duration: ten minutes", at: 2, 11, "duration"),
    BadDrill("duration too short", "duration: 10m", "duration: 5s", at: 2, 11, "duration 5s is out of range"),
    BadDrill("missing duration", "duration: 10m\n", "", at: 1, 1, "the drill has no 'duration'"),
    BadDrill("negative seed", "duration: 10m", "duration: 10m\nseed: -1", at: 3, 7, "seed must be a whole number"),
    BadDrill("unknown queue key", "    visibility_timeout: 30s", "    visibilty_timeout: 30s", at: 5, 5, "unknown key 'visibilty_timeout' in queue 'orders'", fix: "did you mean 'visibility_timeout'?"),
    BadDrill("bad visibility timeout", "visibility_timeout: 30s", "visibility_timeout: 30 parsecs", at: 5, 25, "visibility_timeout"),
    BadDrill("unknown dlq", "dlq: orders-dlq", "dlq: order-dlq", at: 6, 10, "dlq 'order-dlq' is not a queue of this drill", fix: "did you mean 'orders-dlq'?"),
    BadDrill("queue is its own dlq", "dlq: orders-dlq", "dlq: orders", at: 6, 10, "queue 'orders' cannot be its own DLQ"),
    BadDrill("producer sends to an unknown queue", "    to: orders", "    to: ordrs", at: 10, 9, "producer 'checkout' sends to 'ordrs' is not a queue of this drill", fix: "did you mean 'orders'?"),
    BadDrill("bad rate", "rate: 5/s", "rate: fast", at: 11, 11, "rate"),
    BadDrill("producer without rate", "    rate: 5/s\n", "", at: 9, 3, "producer 'checkout' has no 'rate'"),
    BadDrill("unknown producer distribution", "    rate: 5/s", "    rate: 5/s\n    distribute: random", at: 12, 17, "distribute: 'random' is not a distribution"),
    BadDrill("unknown queue in a worker", "    from: orders", "    from: ordrs", at: 14, 11, "worker 'order-worker' reads 'ordrs' is not a queue of this drill", fix: "did you mean 'orders'?"),
    BadDrill("worker concurrency out of range", "    from: orders", "    from: orders\n    concurrency: 0", at: 15, 18, "concurrency 0 is out of range"),
    BadDrill("backwards processing range", "    from: orders", "    from: orders\n    processing: 80ms..20ms", at: 15, 17, "runs backwards"),
    BadDrill("worker timeout too long", "timeout: 10s", "timeout: 20m", at: 15, 14, "timeout 20m is out of range"),
    BadDrill("bad fault kind", "  - outage: order-worker", "  - explode: order-worker", at: 17, 5, "unknown key 'explode' in a fault"),
    BadDrill("fault names an unknown worker", "outage: order-worker", "outage: order-wrker", at: 17, 5, "fault names worker 'order-wrker', which is not a worker of this drill", fix: "did you mean 'order-worker'?"),
    BadDrill("fault without at", "    at: 2m\n    for: 1m", "    for: 1m", at: 17, 5, "the outage fault has no 'at'"),
    BadDrill("bad failure mode", "    for: 1m", "    for: 1m\n    mode: explode", at: 20, 11, "mode: 'explode' is not a failure mode"),
    BadDrill("ratio above 100%", "    for: 1m", "    for: 1m\n    ratio: 150%", at: 20, 12, "ratio 150% is out of range"),
    BadDrill("key that does not apply to the fault", "    for: 1m", "    for: 1m\n    tenant: t0", at: 20, 13, "'tenant' does not apply to a outage fault"),
    BadDrill("operator step without at", "  - at: 5m\n    redrive: orders-dlq", "  - redrive: orders-dlq", at: 21, 5, "the redrive step has no 'at'"),
    BadDrill("redrive of a queue that is not a DLQ", "redrive: orders-dlq", "redrive: orders", at: 22, 14, "'orders' is not a DLQ"),
    BadDrill("unknown runbook in an operator step", "runbook: fast-timeout", "runbook: slow-timeout", at: 23, 14, "runbook 'slow-timeout' does not exist", fix: "did you mean 'fast-timeout'?"),
    BadDrill("redrive step without runbook", "    runbook: fast-timeout\n", "", at: 22, 5, "the redrive step has no 'runbook'"),
    BadDrill("unknown expectation", "  - lost: 0", "  - lots: 0", at: 26, 5, "unknown expectation 'lots'", fix: "did you mean 'lost'?"),
    BadDrill("expectation on an unknown alarm", "  - lost: 0", "  - alarm: orders-on-fire\n    fires_within: 5m", at: 26, 12, "alarm 'orders-on-fire' is not defined"),
    BadDrill("guard expectation on an unused runbook", "  - lost: 0", "  - guard_paused: poison-validation", at: 26, 19, "no operator step redrives with runbook 'poison-validation'"),
    BadDrill("redrive expectation with a bad end state", "  - lost: 0", "  - redrive: fast-timeout\n    ends: done", at: 27, 11, "ends: 'done' is not a final redrive state"),
    BadDrill("negative counter bound", "  - lost: 0", "  - lost: -1", at: 26, 11, "lost -1 is out of range"),
    BadDrill("tab indentation", "    timeout: 10s", "\ttimeout: 10s", at: 15, 1, "YAML syntax error"),
    BadDrill("duplicate key", "    timeout: 10s", "    timeout: 10s\n    timeout: 20s", at: 15, 5, "duplicate key 'timeout'"),
]
