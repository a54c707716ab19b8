extension AlarmDefinition {
    /// The alarms every topology gets unless configured otherwise (DESIGN §6).
    ///
    /// For every dead-letter queue:
    /// - `<dlq>-not-empty`: depth above 0 for 5 minutes (Minimum over 1-minute periods, 5 of 5, so
    ///   it means "never empty during those minutes" and clears in the first minute that saw 0);
    /// - `<dlq>-oldest-age`: oldest message older than 5 minutes (Maximum, 1 of 1; an empty
    ///   queue's age is 0, and an unknown age counts as not breaching).
    ///
    /// For every worker queue (one with a redrive policy):
    /// - `<q>-worker-errors`: failure verdicts in each of 5 minutes (Sum > 0, 5 of 5);
    /// - `<q>-backlog-growing` (warning): depth rose in each of the last 5 minutes (Sum of the
    ///   depth change > 0, 5 of 5).
    ///
    /// Counts have a datapoint in every sampled minute (0 when nothing happened), so their missing
    /// data only means the monitor was not fed and is treated as not breaching.
    /// - Parameter queues: the topology, in any order; alarms come out sorted by name.
    public static func defaults(for queues: [QueueInfo]) -> [AlarmDefinition] {
        var alarms: [AlarmDefinition] = []
        for q in queues {
            if q.isDeadLetterQueue {
                alarms.append(AlarmDefinition(
                    name: "\(q.name)-not-empty", queue: q.name, metric: .depth, statistic: .minimum,
                    period: .minutes(1), threshold: 0, comparison: .greaterThanThreshold,
                    datapointsToAlarm: 5, evaluationPeriods: 5, treatMissingData: .missing))
                alarms.append(AlarmDefinition(
                    name: "\(q.name)-oldest-age", queue: q.name, metric: .oldestAgeSeconds, statistic: .maximum,
                    period: .minutes(1), threshold: 300, comparison: .greaterThanThreshold,
                    datapointsToAlarm: 1, evaluationPeriods: 1, treatMissingData: .notBreaching))
            }
            if q.spec.redrivePolicy != nil {
                alarms.append(AlarmDefinition(
                    name: "\(q.name)-worker-errors", queue: q.name, metric: .failed, statistic: .sum,
                    period: .minutes(1), threshold: 0, comparison: .greaterThanThreshold,
                    datapointsToAlarm: 5, evaluationPeriods: 5, treatMissingData: .notBreaching))
                alarms.append(AlarmDefinition(
                    name: "\(q.name)-backlog-growing", queue: q.name, metric: .depthDelta, statistic: .sum,
                    period: .minutes(1), threshold: 0, comparison: .greaterThanThreshold,
                    datapointsToAlarm: 5, evaluationPeriods: 5, treatMissingData: .notBreaching, severity: .warning))
            }
        }
        return alarms.sorted { $0.name < $1.name }
    }

    /// `configured` plus the defaults for `queues` whose names `configured` does not already use:
    /// a drill or config file overrides a default by defining an alarm of the same name.
    public static func merging(_ configured: [AlarmDefinition], withDefaultsFor queues: [QueueInfo]) -> [AlarmDefinition] {
        let taken = Set(configured.map(\.name))
        return configured + defaults(for: queues).filter { !taken.contains($0.name) }
    }
}
