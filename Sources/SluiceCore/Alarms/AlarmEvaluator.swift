/// Decides alarm states with CloudWatch's rules. Pure: same definition, data and time, same answer.
///
/// How a decision is made (CloudWatch's "Configuring how CloudWatch alarms treat missing data"):
/// 1. Samples are aggregated into one datapoint per complete period (periods are aligned to
///    multiples of the period since the epoch; the period still filling is not evaluated, as
///    CloudWatch does not evaluate a period before it ends). The last ``AlarmDefinition/evaluationRange``
///    periods are fetched.
/// 2. At least N real datapoints in the range: the most recent N real ones decide — `ALARM` when M
///    or more breach, else `OK`. The missing-data treatment is not consulted.
/// 3. No real datapoint at all: `missing` → `INSUFFICIENT_DATA`, `ignore` → keep the state,
///    `breaching` → `ALARM`, `notBreaching` → `OK`.
/// 4. Some, but fewer than N: every real datapoint counts and the N − r gaps are filled with the
///    treatment. `breaching`/`notBreaching` fill in breaches or non-breaches. With `missing` and
///    `ignore`, M real breaches → `ALARM`; too few real breaches even if every gap breached → `OK`;
///    otherwise the outcome is open: `ignore` keeps the state, and `missing` applies CloudWatch's
///    rule against premature alarms — `ALARM` only once the oldest real breach is at least M periods
///    old and every newer real datapoint breaches, else the state is kept (an interpretation: the
///    documentation says when such an alarm fires, not what it shows before).
public struct AlarmEvaluator: Sendable {
    /// Creates an evaluator.
    public init() {}

    /// The end of the last complete period at `now`: periods before it are evaluated.
    public static func lastCompletePeriodEnd(at now: Timestamp, period: TimeSpan) -> Timestamp {
        Timestamp(millis: now.millis.floorDivided(by: max(1, period.millis)).quotient * max(1, period.millis))
    }

    /// The datapoints `definition` looks at `now`: its evaluation range, oldest first.
    public func datapoints(for definition: AlarmDefinition, in series: MetricSeries?, at now: Timestamp) -> [MetricDatapoint] {
        let end = AlarmEvaluator.lastCompletePeriodEnd(at: now, period: definition.period)
        guard let series else {
            return (0..<definition.evaluationRange).map { offset in
                MetricDatapoint(start: end - definition.period * Int64(definition.evaluationRange - offset), value: nil)
            }
        }
        return series.datapoints(definition.metric, definition.statistic, period: definition.period, count: definition.evaluationRange, endingAt: end)
    }

    /// Evaluates `definition` against `series` at `now`, starting from `current`.
    /// - Returns: the new status; `since` and `reason` change only when the state does.
    public func evaluate(_ definition: AlarmDefinition, series: MetricSeries?, current: AlarmStatus, now: Timestamp) -> AlarmStatus {
        evaluate(definition, range: datapoints(for: definition, in: series, at: now), current: current, now: now)
    }

    /// Evaluates `definition` on an evaluation range given directly (oldest first, nil = missing).
    public func evaluate(_ definition: AlarmDefinition, range: [MetricDatapoint], current: AlarmStatus, now: Timestamp) -> AlarmStatus {
        var next = current
        next.evaluatedAt = now
        if let (state, reason) = decide(definition, range: range, current: current.state), state != current.state {
            next.state = state
            next.since = now
            next.reason = reason
        }
        return next
    }

    /// The state the data calls for and why; nil keeps the current state.
    func decide(_ d: AlarmDefinition, range: [MetricDatapoint], current: AlarmState) -> (AlarmState, String)? {
        let n = d.evaluationPeriods, m = d.datapointsToAlarm
        // Real datapoints with their age in periods (the newest complete period is 1).
        let real = range.enumerated().compactMap { index, point in
            point.value.map { (point: point, value: $0, age: range.count - index, breaches: d.comparison.breaches($0, d.threshold)) }
        }
        let text = ReasonText(definition: d, from: current)

        if real.count >= n {
            let window = real.suffix(n)
            let bad = window.filter(\.breaches), good = window.filter { !$0.breaches }
            if bad.count >= m { return (.alarm, text.crossed(bad.map(\.point), breaching: true)) }
            return (.ok, text.crossed(good.map(\.point), breaching: false))
        }
        if real.isEmpty {
            switch d.treatMissingData {
            case .missing: return (.insufficientData, text.insufficient())
            case .ignore: return nil
            case .breaching: return (.alarm, text.allMissing(as: .breaching))
            case .notBreaching: return (.ok, text.allMissing(as: .notBreaching))
            }
        }

        let gaps = n - real.count
        let bad = real.filter(\.breaches), good = real.filter { !$0.breaches }
        switch d.treatMissingData {
        case .breaching:
            if bad.count + gaps >= m { return (.alarm, text.crossed(bad.map(\.point), breaching: true, filled: gaps, as: .breaching)) }
            return (.ok, text.crossed(good.map(\.point), breaching: false, filled: gaps, as: .breaching))
        case .notBreaching:
            if bad.count >= m { return (.alarm, text.crossed(bad.map(\.point), breaching: true, filled: gaps, as: .notBreaching)) }
            return (.ok, text.crossed(good.map(\.point), breaching: false, filled: gaps, as: .notBreaching))
        case .missing, .ignore:
            if bad.count >= m { return (.alarm, text.crossed(bad.map(\.point), breaching: true)) }
            if bad.count + gaps < m { return (.ok, text.crossed(good.map(\.point), breaching: false)) }
            guard d.treatMissingData == .missing, let oldestBreach = bad.first, oldestBreach.age >= m,
                  real.allSatisfy({ $0.age > oldestBreach.age || $0.breaches })
            else { return nil }
            return (.alarm, text.crossed(bad.map(\.point), breaching: true, missing: gaps))
        }
    }
}
