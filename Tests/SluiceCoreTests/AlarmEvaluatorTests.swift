import Testing
@testable import SluiceCore

/// Hand-computed M-of-N cases, missing data included, for every treatment.
///
/// Patterns list the evaluation range oldest first: `0` a datapoint within the threshold, `X` a
/// breaching one, `-` a missing period. The expected states were worked out by hand from
/// CloudWatch's rules (see ``AlarmEvaluator``); `keep` means the state before stays.
@Suite struct AlarmEvaluatorTests {
    static let t0 = Timestamp(millis: 1_795_600_020_000) // 25/11/26 09:47:00 UTC, a minute boundary

    /// Builds a range from a pattern: `0` → 0.0, `X` → 5.0, `-` → missing; threshold is `> 1`.
    static func range(_ pattern: String, period: TimeSpan = .minutes(1)) -> [MetricDatapoint] {
        let symbols = pattern.filter { $0 != " " }
        return symbols.enumerated().map { i, c in
            MetricDatapoint(start: t0 + period * Int64(i), value: c == "-" ? nil : (c == "X" ? 5 : 0))
        }
    }

    static func definition(m: Int, n: Int, treat: TreatMissingData) -> AlarmDefinition {
        AlarmDefinition(name: "a", queue: "q", metric: .depth, statistic: .maximum, period: .minutes(1), threshold: 1,
                        comparison: .greaterThanThreshold, datapointsToAlarm: m, evaluationPeriods: n, treatMissingData: treat)
    }

    enum Expect: Equatable { case ok, alarm, insufficient, keep }

    struct Case: Sendable, CustomTestStringConvertible {
        let m: Int, n: Int, pattern: String
        let missing: Expect, ignore: Expect, breaching: Expect, notBreaching: Expect
        var testDescription: String { "\(m)/\(n) \(pattern)" }
    }

    //   M/N   range (oldest → newest)   missing        ignore   breaching   notBreaching
    static let table: [Case] = [
        // CloudWatch's documented example: 3 of 3, evaluation range 5.
        Case(m: 3, n: 3, pattern: "0 - X - X", missing: .ok, ignore: .ok, breaching: .ok, notBreaching: .ok),
        Case(m: 3, n: 3, pattern: "0 - - - -", missing: .ok, ignore: .ok, breaching: .ok, notBreaching: .ok),
        Case(m: 3, n: 3, pattern: "- - - - -", missing: .insufficient, ignore: .keep, breaching: .alarm, notBreaching: .ok),
        Case(m: 3, n: 3, pattern: "0 X X - X", missing: .alarm, ignore: .alarm, breaching: .alarm, notBreaching: .alarm),
        Case(m: 3, n: 3, pattern: "- - X - -", missing: .alarm, ignore: .keep, breaching: .alarm, notBreaching: .ok),
        // 3 of 5, evaluation range 7: full data decides alone.
        Case(m: 3, n: 5, pattern: "0 0 X 0 X X 0", missing: .alarm, ignore: .alarm, breaching: .alarm, notBreaching: .alarm),
        Case(m: 3, n: 5, pattern: "0 0 0 X 0 X 0", missing: .ok, ignore: .ok, breaching: .ok, notBreaching: .ok),
        Case(m: 3, n: 5, pattern: "X X X X 0 0 0", missing: .ok, ignore: .ok, breaching: .ok, notBreaching: .ok),
        // Gaps inside the last N, but 5 real datapoints in the range: the 5 newest real ones decide.
        Case(m: 3, n: 5, pattern: "X X 0 - X - X", missing: .alarm, ignore: .alarm, breaching: .alarm, notBreaching: .alarm),
        // Partial data: 2 real breaches aged 3 and 2, 3 gaps.
        Case(m: 3, n: 5, pattern: "- - - - X X -", missing: .alarm, ignore: .keep, breaching: .alarm, notBreaching: .ok),
        // The same breaches one period newer: too recent for `missing` to alarm yet.
        Case(m: 3, n: 5, pattern: "- - - - - X X", missing: .keep, ignore: .keep, breaching: .alarm, notBreaching: .ok),
        // A newer good datapoint after the breaches blocks the premature-alarm rule.
        Case(m: 3, n: 5, pattern: "- - - X X 0 -", missing: .keep, ignore: .keep, breaching: .alarm, notBreaching: .ok),
        // Three good real datapoints: even two breaching gaps cannot reach 3.
        Case(m: 3, n: 5, pattern: "- - 0 0 0 - -", missing: .ok, ignore: .ok, breaching: .ok, notBreaching: .ok),
        // One old breach, everything newer missing.
        Case(m: 3, n: 5, pattern: "X - - - - - -", missing: .alarm, ignore: .keep, breaching: .alarm, notBreaching: .ok),
        // 1 of 1, range 3.
        Case(m: 1, n: 1, pattern: "- - X", missing: .alarm, ignore: .alarm, breaching: .alarm, notBreaching: .alarm),
        Case(m: 1, n: 1, pattern: "X 0 -", missing: .ok, ignore: .ok, breaching: .ok, notBreaching: .ok),
        Case(m: 1, n: 1, pattern: "- - -", missing: .insufficient, ignore: .keep, breaching: .alarm, notBreaching: .ok),
    ]

    @Test(arguments: table)
    func handComputedCases(_ c: Case) {
        let expectations: [(TreatMissingData, Expect)] = [(.missing, c.missing), (.ignore, c.ignore), (.breaching, c.breaching), (.notBreaching, c.notBreaching)]
        for (treatment, expected) in expectations {
            let d = Self.definition(m: c.m, n: c.n, treat: treatment)
            let points = Self.range(c.pattern)
            #expect(points.count == d.evaluationRange, "pattern length must be the evaluation range")
            // Start from two different states so that "keep" is told apart from a real decision.
            for start in [AlarmState.ok, .alarm, .insufficientData] {
                let before = AlarmStatus(state: start, since: Self.t0, reason: "before")
                let after = AlarmEvaluator().evaluate(d, range: points, current: before, now: Self.t0 + .minutes(10))
                let want: AlarmState = switch expected {
                case .ok: .ok
                case .alarm: .alarm
                case .insufficient: .insufficientData
                case .keep: start
                }
                #expect(after.state == want, "\(c.m)/\(c.n) \(c.pattern) with \(treatment) from \(start)")
            }
        }
    }

    @Test func sinceAndReasonChangeOnlyWithTheState() {
        let d = Self.definition(m: 3, n: 3, treat: .missing)
        let evaluator = AlarmEvaluator()
        let start = AlarmStatus(state: .ok, since: Self.t0, reason: "Threshold Crossed: earlier")
        let first = evaluator.evaluate(d, range: Self.range("0 0 X X X"), current: start, now: Self.t0 + .minutes(5))
        #expect(first.state == .alarm)
        #expect(first.since == Self.t0 + .minutes(5))
        let second = evaluator.evaluate(d, range: Self.range("0 X X X X"), current: first, now: Self.t0 + .minutes(6))
        #expect(second.state == .alarm)
        #expect(second.since == Self.t0 + .minutes(5), "still ALARM: since must not move")
        #expect(second.reason == first.reason)
        #expect(second.evaluatedAt == Self.t0 + .minutes(6))
    }

    @Test func reasonTextReadsLikeCloudWatch() {
        let d = AlarmDefinition(name: "orders-dlq-not-empty", queue: "orders-dlq", metric: .depth, statistic: .maximum,
                                threshold: 0, datapointsToAlarm: 3, evaluationPeriods: 5)
        let points = [0.0, 0, 12, 0, 8, 0, 9].enumerated().map { MetricDatapoint(start: Self.t0 + .minutes(Int64($0.offset)), value: $0.element) }
        let status = AlarmEvaluator().evaluate(d, range: points, current: .initial(at: Self.t0), now: Self.t0 + .minutes(7))
        #expect(status.state == .alarm)
        #expect(status.reason == "Threshold Crossed: 3 out of the last 5 datapoints [9.0 (25/11/26 09:53:00), 8.0 (25/11/26 09:51:00), 12.0 (25/11/26 09:49:00)] were greater than the threshold (0.0) (minimum 3 datapoints for INSUFFICIENT_DATA -> ALARM transition).")

        let cleared = AlarmEvaluator().evaluate(d, range: points.map { MetricDatapoint(start: $0.start, value: 0) }, current: status, now: Self.t0 + .minutes(8))
        #expect(cleared.reason.hasPrefix("Threshold Crossed: 5 out of the last 5 datapoints [0.0 (25/11/26 09:53:00)"))
        #expect(cleared.reason.hasSuffix("were not greater than the threshold (0.0) (minimum 3 datapoints for ALARM -> OK transition)."))

        let unknown = AlarmEvaluator().evaluate(d, range: points.map { MetricDatapoint(start: $0.start, value: nil) }, current: cleared, now: Self.t0 + .minutes(9))
        #expect(unknown.state == .insufficientData)
        #expect(unknown.reason == "Insufficient Data: 5 datapoints were unknown.")

        var filled = d
        filled.treatMissingData = .breaching
        let breaching = AlarmEvaluator().evaluate(filled, range: points.map { MetricDatapoint(start: $0.start, value: nil) }, current: cleared, now: Self.t0 + .minutes(9))
        #expect(breaching.reason == "Threshold Crossed: no datapoints were received for 5 periods and 5 missing datapoints were treated as [Breaching] (minimum 3 datapoints for OK -> ALARM transition).")
    }

    @Test(arguments: [
        (AlarmComparison.greaterThanThreshold, [false, false, true]),
        (.greaterThanOrEqualToThreshold, [false, true, true]),
        (.lessThanThreshold, [true, false, false]),
        (.lessThanOrEqualToThreshold, [true, true, false]),
    ])
    func comparisons(_ comparison: AlarmComparison, _ expected: [Bool]) {
        #expect([1.0, 2, 3].map { comparison.breaches($0, 2) } == expected)
    }

    @Test func statisticsAggregateAPeriod() {
        var accumulator = AlarmStatistic.Accumulator()
        #expect(accumulator.value(of: .average) == nil, "no samples is missing data, not zero")
        for v in [4.0, 1, 7] { accumulator.add(v) }
        #expect(accumulator.value(of: .average) == 4)
        #expect(accumulator.value(of: .maximum) == 7)
        #expect(accumulator.value(of: .minimum) == 1)
        #expect(accumulator.value(of: .sum) == 12)
        #expect(accumulator.value(of: .sampleCount) == 3)
    }

    @Test func onlyCompletePeriodsAreEvaluated() {
        var series = MetricSeries(queue: "q", capacity: 100)
        // Depth 9 sampled only in the period still filling at `now`.
        series.record(QueueStats(queue: "q", at: Self.t0 + .seconds(10), visible: 9, inFlight: 0, delayed: 0, oldestAge: .seconds(1)))
        let d = Self.definition(m: 1, n: 1, treat: .missing)
        let during = AlarmEvaluator().evaluate(d, series: series, current: .initial(at: Self.t0), now: Self.t0 + .seconds(59))
        #expect(during.state == .insufficientData)
        let after = AlarmEvaluator().evaluate(d, series: series, current: during, now: Self.t0 + .seconds(60))
        #expect(after.state == .alarm)
        #expect(after.reason.contains("[9.0 (25/11/26 09:47:00)]"))
    }

    enum Breakage: String, CaseIterable, Sendable {
        case emptyName, mOverN, zeroPeriods, subSecondPeriod

        var expectedMessage: String {
            switch self {
            case .emptyName: "alarm name '' must"
            case .mOverN: "datapoints_to_alarm 6 must be 1 to evaluation_periods (5)"
            case .zeroPeriods: "evaluation_periods 0 is out of range"
            case .subSecondPeriod: "period 500ms is out of range"
            }
        }

        func apply(to d: inout AlarmDefinition) {
            switch self {
            case .emptyName: d.name = ""
            case .mOverN: d.datapointsToAlarm = 6
            case .zeroPeriods: d.evaluationPeriods = 0; d.datapointsToAlarm = 0
            case .subSecondPeriod: d.period = .milliseconds(500)
            }
        }
    }

    @Test(arguments: Breakage.allCases)
    func invalidDefinitionsAreRefused(_ breakage: Breakage) {
        var d = AlarmDefinition(name: "x", queue: "q", metric: .depth, threshold: 0, datapointsToAlarm: 3, evaluationPeriods: 5)
        #expect(throws: Never.self) { try d.validate() }
        breakage.apply(to: &d)
        let error = #expect(throws: SluiceError.self) { try d.validate() }
        #expect(error?.message.contains(breakage.expectedMessage) == true, "\(error?.message ?? "no error")")
        #expect(error?.kind == .badInput)
    }

    @Test func fieldsParseTheWaysPeopleWriteThem() throws {
        #expect(try AlarmComparison.parse(">=") == .greaterThanOrEqualToThreshold)
        #expect(try AlarmComparison.parse("LessThanThreshold") == .lessThanThreshold)
        #expect(try TreatMissingData.parse("not_breaching") == .notBreaching)
        #expect(try AlarmStatistic.parse("max") == .maximum)
        #expect(try QueueMetric.parse("in_flight") == .inFlight)
        #expect(try QueueMetric.parse("oldest_age") == .oldestAgeSeconds)
        let error = #expect(throws: SluiceError.self) { try QueueMetric.parse("depht") }
        #expect(error?.fix?.contains("depth") == true)
    }
}
