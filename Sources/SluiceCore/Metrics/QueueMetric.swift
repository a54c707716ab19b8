/// A number the monitor records for every queue, and that alarms and sparklines read.
///
/// Gauges (`visible` … `oldestAgeSeconds`) are the value at the sample time. Counts (`sent` …
/// `expired`) are how many happened since the previous sample, taken from the queue's
/// monotonic ``QueueCounters``; `depthDelta` is the change in depth since the previous sample.
/// Summing a count over a period gives the number of events in it, as CloudWatch's
/// `NumberOfMessagesSent` with the `Sum` statistic does.
public enum QueueMetric: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case visible
    case inFlight
    case delayed
    case depth
    /// Age of the oldest message in seconds; 0 when the queue is empty (as SQS's
    /// `ApproximateAgeOfOldestMessage` reports), missing when a non-empty queue's age is unknown.
    case oldestAgeSeconds
    /// Depth change since the previous sample (positive while a backlog grows).
    case depthDelta
    case sent
    case received
    case deleted
    /// Failure verdicts recorded by workers.
    case failed
    /// Messages this queue moved to its DLQ.
    case deadLettered
    /// Messages removed by retention.
    case expired

    /// Whether the metric counts events between samples (so `Sum` and rates make sense).
    public var isCount: Bool {
        switch self {
        case .visible, .inFlight, .delayed, .depth, .oldestAgeSeconds: false
        case .depthDelta, .sent, .received, .deleted, .failed, .deadLettered, .expired: true
        }
    }

    /// The statistic a sparkline of this metric uses unless told otherwise.
    public var naturalStatistic: AlarmStatistic { isCount ? .sum : .maximum }

    public var description: String { rawValue }

    /// Parses a metric name as written in drill files and on the command line; accepts the
    /// camelCase names and snake_case spellings (`in_flight`, `oldest_age`, `dead_lettered`).
    /// - Throws: ``SluiceError`` (bad input) listing the known metrics.
    public static func parse(_ text: String, field: String = "metric") throws -> QueueMetric {
        let key = text.alarmLookupKey
        let aliases: [String: QueueMetric] = ["oldestage": .oldestAgeSeconds, "age": .oldestAgeSeconds, "errors": .failed, "dlq": .deadLettered]
        if let alias = aliases[key] { return alias }
        if let metric = QueueMetric.allCases.first(where: { $0.rawValue.lowercased() == key }) { return metric }
        throw SluiceError.badInput("\(field): '\(text)' is not a queue metric",
                                   fix: "use one of: \(QueueMetric.allCases.map(\.rawValue).joined(separator: ", "))")
    }
}
