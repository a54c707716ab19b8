/// A metric alarm with CloudWatch's knobs: a statistic of a queue metric over a period, compared
/// with a threshold; `ALARM` when `datapointsToAlarm` (M) of the last `evaluationPeriods` (N)
/// datapoints breach; missing periods handled by `treatMissingData`.
public struct AlarmDefinition: Sendable, Hashable, Codable {
    /// Unique name, e.g. `orders-dlq-not-empty`.
    public var name: String
    /// The queue whose metric is watched.
    public var queue: String
    public var metric: QueueMetric
    public var statistic: AlarmStatistic
    /// The length of one datapoint.
    public var period: TimeSpan
    public var threshold: Double
    public var comparison: AlarmComparison
    /// M: breaching datapoints needed for `ALARM`.
    public var datapointsToAlarm: Int
    /// N: how many of the most recent periods are looked at.
    public var evaluationPeriods: Int
    public var treatMissingData: TreatMissingData
    public var severity: AlarmSeverity

    /// Creates a definition; call ``validate()`` on definitions that come from a file.
    public init(
        name: String, queue: String, metric: QueueMetric, statistic: AlarmStatistic = .maximum,
        period: TimeSpan = .minutes(1), threshold: Double, comparison: AlarmComparison = .greaterThanThreshold,
        datapointsToAlarm: Int = 1, evaluationPeriods: Int = 1, treatMissingData: TreatMissingData = .missing,
        severity: AlarmSeverity = .alarm
    ) {
        self.name = name
        self.queue = queue
        self.metric = metric
        self.statistic = statistic
        self.period = period
        self.threshold = threshold
        self.comparison = comparison
        self.datapointsToAlarm = datapointsToAlarm
        self.evaluationPeriods = evaluationPeriods
        self.treatMissingData = treatMissingData
        self.severity = severity
    }

    /// The most evaluation periods an alarm may use (CloudWatch allows more; a console does not
    /// need them and the series must hold the whole evaluation range).
    public static let maxEvaluationPeriods = 60

    /// Periods CloudWatch fetches beyond N to fill gaps: its "evaluation range".
    ///
    /// Simplification: CloudWatch's range depends on the period and metric resolution and is not
    /// published; its documentation's worked example (N = 3) uses five periods, so Sluice uses
    /// N + 2 everywhere.
    public var evaluationRange: Int { evaluationPeriods + 2 }

    /// How far back the series must reach for this alarm.
    public var lookback: TimeSpan { period * Int64(evaluationRange) }

    /// `depth > 0 for 5 of 5 periods of 1m` — one line for tables and reasons.
    public var summary: String {
        "\(metric) \(statistic.rawValue) \(comparison.symbol) \(AlarmDefinition.format(threshold)) for \(datapointsToAlarm) of \(evaluationPeriods) periods of \(period)"
    }

    /// Checks names and limits.
    /// - Throws: ``SluiceError`` (bad input) naming the alarm, the field and the allowed range.
    public func validate() throws {
        let where_ = "alarm '\(name)'"
        guard !name.isEmpty, name.count <= 255, !name.contains(where: { $0.isNewline }) else {
            throw SluiceError.badInput("alarm name '\(name.prefix(60))' must be 1-255 characters on one line")
        }
        guard !queue.isEmpty else { throw SluiceError.badInput("\(where_): queue is empty", fix: "name the queue whose metric it watches") }
        guard period >= .seconds(1), period <= .days(1) else {
            throw SluiceError.badInput("\(where_): period \(period) is out of range", fix: "use 1s to 1d")
        }
        guard (1...AlarmDefinition.maxEvaluationPeriods).contains(evaluationPeriods) else {
            throw SluiceError.badInput("\(where_): evaluation_periods \(evaluationPeriods) is out of range", fix: "use 1 to \(AlarmDefinition.maxEvaluationPeriods)")
        }
        guard (1...evaluationPeriods).contains(datapointsToAlarm) else {
            throw SluiceError.badInput("\(where_): datapoints_to_alarm \(datapointsToAlarm) must be 1 to evaluation_periods (\(evaluationPeriods))",
                                       fix: "M of N needs M <= N, e.g. datapoints_to_alarm: 3 with evaluation_periods: 5")
        }
        guard threshold.isFinite else { throw SluiceError.badInput("\(where_): threshold must be a finite number") }
    }

    /// A threshold or datapoint as CloudWatch prints it: `0.0`, `12.5`, `300.0`.
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) + ".0" }
        return String(value)
    }
}
