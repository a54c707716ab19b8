import Testing

/// One malformed runbook and the diagnostic it must produce.
struct BadRunbook: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    let line: Int
    let column: Int
    /// A piece of the message (not the fix) of the diagnostic at line:column.
    let message: String
    /// A piece of the fix, when the fix itself is what matters (a suggestion).
    var fix: String? = nil

    var testDescription: String { name }
}

/// Front matter lines shared by most cases: a valid runbook is `head + strategy`.
private let head = "---\nid: sample\ndlq: orders-dlq\n"
private let strategy = "strategy:\n  Timeout: requeue\n"
private let tail = "---\n# Sample\n"

/// Each case is one mistake; the expected position was worked out by hand from the text
/// (line 1 is the opening `---`, so front matter starts on line 2).
let badRunbooks: [BadRunbook] = [
    // Front matter shape.
    BadRunbook(name: "no front matter", text: "# Redrive\nSome prose.\n", line: 1, column: 1, message: "no front matter"),
    BadRunbook(name: "unclosed front matter", text: "---\nid: a\ndlq: q\n# Redrive\n", line: 1, column: 1, message: "never closed"),
    BadRunbook(name: "empty file", text: "\n\n", line: 1, column: 1, message: "the file is empty"),
    BadRunbook(name: "blank line before front matter", text: "\n---\nid: a\n---\n", line: 2, column: 1, message: "must start on the first line"),
    BadRunbook(name: "empty front matter", text: "---\n---\n# T\n", line: 1, column: 1, message: "front matter is empty"),
    BadRunbook(name: "front matter is a list", text: "---\n- id: a\n---\n", line: 2, column: 1, message: "must be a mapping"),

    // YAML syntax, positions from libYAML.
    BadRunbook(name: "colon inside a plain value", text: head + "title: Redrive: now\n" + strategy + tail,
               line: 4, column: 15, message: "mapping values are not allowed", fix: "quote a value"),
    BadRunbook(name: "unquoted glob is an alias", text: "---\nid: sample\ndlq: *-dlq\n" + strategy + tail,
               line: 3, column: 6, message: "undefined alias", fix: "quote globs"),
    BadRunbook(name: "tab indentation", text: head + "strategy:\n\tTimeout: requeue\n" + tail,
               line: 5, column: 1, message: "YAML syntax error", fix: "spaces, not tabs"),
    BadRunbook(name: "duplicate top-level key", text: head + strategy + "id: again\n" + tail,
               line: 6, column: 1, message: "duplicate key 'id'"),
    BadRunbook(name: "duplicate error type", text: head + "strategy:\n  Timeout: requeue\n  Timeout: discard\n" + tail,
               line: 6, column: 3, message: "duplicate key 'Timeout'"),

    // Keys.
    BadRunbook(name: "misspelt top-level key", text: head + "strategey:\n  Timeout: requeue\n" + tail,
               line: 4, column: 1, message: "unknown key 'strategey'", fix: "did you mean 'strategy'?"),
    BadRunbook(name: "batch key at the top level", text: head + strategy + "max_rate: 20/s\n" + tail,
               line: 6, column: 1, message: "unknown key 'max_rate' at the top level", fix: "belongs under 'batch:'"),
    BadRunbook(name: "misspelt batch key", text: head + strategy + "batch:\n  sise: 10\n" + tail,
               line: 7, column: 3, message: "unknown key 'sise' in 'batch'", fix: "did you mean 'size'?"),
    BadRunbook(name: "misspelt filter key", text: head + strategy + "filter:\n  error_type: [Timeout]\n" + tail,
               line: 7, column: 3, message: "unknown key 'error_type' in 'filter'", fix: "did you mean 'error_types'?"),
    BadRunbook(name: "misspelt require key", text: head + strategy + "require:\n  root_cause_acknowledged: true\n" + tail,
               line: 7, column: 3, message: "unknown key 'root_cause_acknowledged'", fix: "did you mean 'root_cause_ack'?"),
    BadRunbook(name: "missing id", text: "---\ndlq: orders-dlq\n" + strategy + tail, line: 5, column: 1, message: "missing required key 'id'"),
    BadRunbook(name: "missing dlq", text: "---\nid: sample\n" + strategy + tail, line: 5, column: 1, message: "missing required key 'dlq'"),
    BadRunbook(name: "missing strategy", text: head + tail, line: 4, column: 1, message: "missing required key 'strategy'"),

    // Types and values.
    BadRunbook(name: "id not kebab-case", text: "---\nid: Downstream_Timeout\ndlq: orders-dlq\n" + strategy + tail,
               line: 2, column: 5, message: "not kebab-case", fix: "'downstream-timeout'"),
    BadRunbook(name: "error_types is a string", text: head + strategy + "filter:\n  error_types: Timeout\n" + tail,
               line: 7, column: 16, message: "must be a list", fix: "[Timeout]"),
    BadRunbook(name: "filter is a list", text: head + strategy + "filter: [Timeout]\n" + tail,
               line: 6, column: 9, message: "'filter' must be a mapping"),
    BadRunbook(name: "duration in words", text: head + strategy + "filter:\n  min_age: 5 minutes\n" + tail,
               line: 7, column: 12, message: "'filter.min_age': '5 minutes' is not a duration"),
    BadRunbook(name: "duration without a unit", text: head + strategy + "filter:\n  max_age: 300\n" + tail,
               line: 7, column: 12, message: "is not a duration", fix: "add a unit: 300s"),
    BadRunbook(name: "min_age above max_age", text: head + strategy + "filter:\n  min_age: 2d\n  max_age: 1h\n" + tail,
               line: 7, column: 12, message: "greater than filter.max_age"),
    BadRunbook(name: "batch size zero", text: head + strategy + "batch:\n  size: 0\n" + tail,
               line: 7, column: 9, message: "batch.size must be at least 1"),
    BadRunbook(name: "batch size in words", text: head + strategy + "batch:\n  size: ten\n" + tail,
               line: 7, column: 9, message: "must be a whole number, got 'ten'"),
    BadRunbook(name: "max_rate zero", text: head + strategy + "batch:\n  max_rate: 0/s\n" + tail,
               line: 7, column: 13, message: "must be above zero"),
    BadRunbook(name: "max_rate absurd", text: head + strategy + "batch:\n  max_rate: 20000/s\n" + tail,
               line: 7, column: 13, message: "above the ceiling of 10000/s"),
    BadRunbook(name: "max_rate per day", text: head + strategy + "batch:\n  max_rate: 20/d\n" + tail,
               line: 7, column: 13, message: "unknown unit '/d'"),
    BadRunbook(name: "max_messages negative", text: head + strategy + "batch:\n  max_messages: -5\n" + tail,
               line: 7, column: 17, message: "max_messages must be at least 1"),
    BadRunbook(name: "jitter reversed", text: head + strategy + "batch:\n  jitter: 2s..200ms\n" + tail,
               line: 7, column: 11, message: "starts at 2s but ends at 200ms"),
    BadRunbook(name: "jitter with a dash", text: head + strategy + "batch:\n  jitter: 200ms-2s\n" + tail,
               line: 7, column: 11, message: "not a duration range"),
    BadRunbook(name: "retry_delay over 15m", text: head + strategy + "batch:\n  retry_delay: 20m\n" + tail,
               line: 7, column: 16, message: "longer than the 15m maximum"),
    BadRunbook(name: "root_cause_ack not a boolean", text: head + strategy + "require:\n  root_cause_ack: maybe\n" + tail,
               line: 7, column: 19, message: "must be true or false"),
    BadRunbook(name: "dlq with a space", text: "---\nid: sample\ndlq: orders dlq\n" + strategy + tail,
               line: 3, column: 12, message: "cannot hold: ' '"),
    BadRunbook(name: "destination is a glob", text: head + strategy + "destination: orders-*\n" + tail,
               line: 6, column: 21, message: "cannot hold: '*'", fix: "exactly one queue"),

    // Strategies.
    BadRunbook(name: "unknown strategy", text: head + "strategy:\n  Timeout: requeu\n" + tail,
               line: 5, column: 12, message: "unknown strategy 'requeu'", fix: "did you mean 'requeue'?"),
    BadRunbook(name: "retry_later with an underscore", text: head + "strategy:\n  Throttled: retry_later\n" + tail,
               line: 5, column: 14, message: "unknown strategy 'retry_later'", fix: "did you mean 'retry-later'?"),
    BadRunbook(name: "empty strategy", text: head + "strategy:\nguards: []\n" + tail,
               line: 4, column: 10, message: "'strategy' is empty"),
    BadRunbook(name: "wildcard strategy", text: head + "strategy:\n  \"*\": requeue\n" + tail,
               line: 5, column: 3, message: "'*' is not an error type"),

    // Guards.
    BadRunbook(name: "guards is not a list", text: head + strategy + "guards: depth(orders) > 5\n" + tail,
               line: 6, column: 9, message: "'guards' must be a list"),
    BadRunbook(name: "guard without parentheses", text: head + strategy + "guards:\n  - pause_if: depth orders > 1000\n" + tail,
               line: 7, column: 20, message: "'depth' needs a queue in parentheses"),
    BadRunbook(name: "unknown guard metric", text: head + strategy + "guards:\n  - pause_if: depht(orders) > 5\n" + tail,
               line: 7, column: 15, message: "unknown guard metric 'depht'", fix: "did you mean 'depth'?"),
    BadRunbook(name: "age compared with a count", text: head + strategy + "guards:\n  - pause_if: oldest_age(orders) > 100\n" + tail,
               line: 7, column: 36, message: "compares with a duration"),
    BadRunbook(name: "depth compared with a duration (quoted)", text: head + strategy + "guards:\n  - pause_if: \"depth(orders) > 5m\"\n" + tail,
               line: 7, column: 32, message: "compares with a message count"),
    BadRunbook(name: "returned_ratio above 1", text: head + strategy + "guards:\n  - abort_if: returned_ratio > 1.5\n" + tail,
               line: 7, column: 32, message: "outside 0..1"),
    BadRunbook(name: "returned_ratio as a percentage", text: head + strategy + "guards:\n  - abort_if: returned_ratio > 20%\n" + tail,
               line: 7, column: 32, message: "not a percentage", fix: "write 0.2"),
    BadRunbook(name: "unknown alarm state", text: head + strategy + "guards:\n  - abort_if: alarm(orders-worker-errors) == RED\n" + tail,
               line: 7, column: 46, message: "'RED' is not an alarm state"),
    BadRunbook(name: "alarm compared with >", text: head + strategy + "guards:\n  - abort_if: alarm(orders-worker-errors) > OK\n" + tail,
               line: 7, column: 43, message: "only be compared with == or !="),
    BadRunbook(name: "single equals sign", text: head + strategy + "guards:\n  - pause_if: dlq_depth = 5\n" + tail,
               line: 7, column: 25, message: "'=' is not a comparison", fix: "'=='"),
    BadRunbook(name: "dlq_depth with a queue", text: head + strategy + "guards:\n  - pause_if: dlq_depth(orders-dlq) > 5\n" + tail,
               line: 7, column: 24, message: "'dlq_depth' takes no queue"),
    BadRunbook(name: "unknown guard action", text: head + strategy + "guards:\n  - stop_if: depth(orders) > 5\n" + tail,
               line: 7, column: 5, message: "unknown guard action 'stop_if'"),
    BadRunbook(name: "guard without an action", text: head + strategy + "guards:\n  - depth(orders) > 5\n" + tail,
               line: 7, column: 5, message: "has no action", fix: "pause_if"),
]
