/// How the samples of one period become one datapoint (CloudWatch's statistics).
public enum AlarmStatistic: String, Sendable, Hashable, Codable, CaseIterable {
    case average = "Average"
    case maximum = "Maximum"
    case minimum = "Minimum"
    case sum = "Sum"
    case sampleCount = "SampleCount"

    /// Parses `Average`, `max`, `sum`, `SampleCount`… case-insensitively.
    /// - Throws: ``SluiceError`` (bad input) listing the statistics.
    public static func parse(_ text: String, field: String = "statistic") throws -> AlarmStatistic {
        let key = text.alarmLookupKey
        let aliases: [String: AlarmStatistic] = ["avg": .average, "mean": .average, "max": .maximum, "min": .minimum, "count": .sampleCount, "samples": .sampleCount]
        if let statistic = aliases[key] ?? AlarmStatistic.allCases.first(where: { $0.rawValue.lowercased() == key }) { return statistic }
        throw SluiceError.badInput("\(field): '\(text)' is not a statistic", fix: "use Average, Maximum, Minimum, Sum or SampleCount")
    }

    /// A running aggregate of values, so a period is folded in one pass without an array.
    public struct Accumulator: Sendable {
        public private(set) var count = 0
        public private(set) var sum = 0.0
        public private(set) var minimum = Double.infinity
        public private(set) var maximum = -Double.infinity

        public init() {}

        /// Folds in one value.
        public mutating func add(_ value: Double) {
            count += 1
            sum += value
            if value < minimum { minimum = value }
            if value > maximum { maximum = value }
        }

        /// The statistic over the values added; nil when none were (missing data).
        public func value(of statistic: AlarmStatistic) -> Double? {
            guard count > 0 else { return nil }
            switch statistic {
            case .average: return sum / Double(count)
            case .maximum: return maximum
            case .minimum: return minimum
            case .sum: return sum
            case .sampleCount: return Double(count)
            }
        }
    }
}

extension String {
    /// Lower-cased with spaces trimmed and `_`/`-` removed, so `not_breaching`, `notBreaching`
    /// and `not-breaching` all look the same when parsing alarm fields.
    var alarmLookupKey: String {
        String(trimmingSpaces().lowercased().filter { $0 != "_" && $0 != "-" })
    }
}
