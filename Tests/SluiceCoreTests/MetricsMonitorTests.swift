import Testing
import SluiceCore

@Suite struct MetricsMonitorTests {
    static let t0 = Timestamp(millis: 1_795_600_020_000) // 25/11/26 09:47:00 UTC

    static let topology = [
        QueueInfo(spec: QueueSpec(name: "orders", redrivePolicy: RedrivePolicy(deadLetterQueue: "orders-dlq", maxReceiveCount: 3)), deadLetterSources: []),
        QueueInfo(spec: QueueSpec(name: "orders-dlq"), deadLetterSources: ["orders"]),
    ]

    /// A DLQ that is empty for 2 minutes, holds 3 messages (the oldest sent at 1m55s) until 10m,
    /// then is emptied; sampled every 10 s for 12 minutes.
    static func dlqStats(at step: Int) -> QueueStats {
        let at = t0 + .seconds(Int64(step) * 10)
        let offset = TimeSpan.seconds(Int64(step) * 10)
        let holding = offset >= .minutes(2) && offset < .minutes(10)
        return QueueStats(queue: "orders-dlq", at: at, visible: holding ? 3 : 0, inFlight: 0, delayed: 0,
                          oldestAge: holding ? offset - .seconds(115) : nil, counters: QueueCounters())
    }

    @Test func transitionsCarryTheRightTimesAndSince() throws {
        let monitor = Monitor(definitions: AlarmDefinition.defaults(for: Self.topology).filter { $0.queue == "orders-dlq" })
        var all: [AlarmTransition] = []
        for step in 0...72 { all += monitor.ingest([Self.dlqStats(at: step)]) }

        let notEmpty = all.filter { $0.name == "orders-dlq-not-empty" }
        // Minimum depth > 0 in minutes 2, 3, 4, 5, 6 → the 5th breaching period ends at 7m.
        // Minute 10 sees 0 → one good datapoint clears 5-of-5, at 11m.
        #expect(notEmpty.map { [$0.from, $0.to] } == [[.insufficientData, .ok], [.ok, .alarm], [.alarm, .ok]])
        #expect(notEmpty.map(\.at) == [Self.t0 + .minutes(1), Self.t0 + .minutes(7), Self.t0 + .minutes(11)])
        #expect(notEmpty[1].reason.hasPrefix("Threshold Crossed: 5 out of the last 5 datapoints [3.0 (25/11/26 09:53:00)"))

        let age = all.filter { $0.name == "orders-dlq-oldest-age" }
        // No complete period yet at 0m: all missing, treated as not breaching → OK at once.
        // Oldest age passes 300 s at 6m55s; the 6m period's last sample (6m50s) is 295 s, so the
        // 7m period is the first breaching one and it completes at 8m. Empty again in minute 10
        // (age 0) → OK at 11m.
        #expect(age.map { [$0.from, $0.to] } == [[.insufficientData, .ok], [.ok, .alarm], [.alarm, .ok]])
        #expect(age.map(\.at) == [Self.t0, Self.t0 + .minutes(8), Self.t0 + .minutes(11)])
        #expect(age[0].reason.contains("treated as [NonBreaching]"))
        #expect(age[1].reason == "Threshold Crossed: 1 datapoint [355.0 (25/11/26 09:54:00)] was greater than the threshold (300.0) (minimum 1 datapoint for OK -> ALARM transition).")

        let status = try #require(monitor.status(of: "orders-dlq-not-empty"))
        #expect(status.state == .ok && status.since == Self.t0 + .minutes(11) && status.evaluatedAt == Self.t0 + .minutes(12))
    }

    @Test func transitionCursorReturnsEachTransitionOnce() {
        let monitor = Monitor(definitions: AlarmDefinition.defaults(for: Self.topology).filter { $0.queue == "orders-dlq" })
        var cursor = 0
        var seen: [AlarmTransition] = []
        var direct: [AlarmTransition] = []
        for step in 0...72 {
            direct += monitor.ingest([Self.dlqStats(at: step)])
            if step % 13 == 0 {
                let page = monitor.transitions(since: cursor)
                seen += page.transitions
                cursor = page.next
                #expect(page.dropped == 0)
            }
        }
        seen += monitor.transitions(since: cursor).transitions
        #expect(seen == direct)
        #expect(seen.count == 6)
        #expect(monitor.transitions(since: 4).transitions == Array(direct.suffix(2)))
    }

    @Test func unchangedDefinitionsKeepTheirStatusWhenReconfigured() {
        let defs = AlarmDefinition.defaults(for: Self.topology)
        let monitor = Monitor(definitions: defs)
        for step in 0...48 { monitor.ingest([Self.dlqStats(at: step)]) }
        #expect(monitor.status(of: "orders-dlq-not-empty")?.state == .alarm)
        var changed = defs
        let index = changed.firstIndex { $0.name == "orders-dlq-oldest-age" }!
        changed[index].threshold = 3600
        monitor.setDefinitions(changed)
        #expect(monitor.status(of: "orders-dlq-not-empty")?.state == .alarm)
        #expect(monitor.status(of: "orders-dlq-oldest-age") == nil, "a changed alarm starts over")
    }

    @Test func ratesAndSparklinesThroughTheMonitor() throws {
        let monitor = Monitor(sampleInterval: .seconds(10))
        for i in 0...18 {
            let at = Self.t0 + .seconds(Int64(i) * 10)
            monitor.ingest([QueueStats(queue: "orders", at: at, visible: i, inFlight: 0, delayed: 0, oldestAge: .seconds(1),
                                       counters: QueueCounters(sent: Int64(30 * i), deleted: Int64(20 * i), failed: Int64(i)))])
        }
        let rates = try #require(monitor.rates(queue: "orders"))
        #expect(rates.sent == 3 && rates.deleted == 2 && rates.failed == 0.1)
        #expect(monitor.sparkline(queue: "orders", metric: .depth, bucket: .minutes(1), count: 4) == [5, 11, 17, 18])
        #expect(monitor.rates(queue: "nope") == nil)
        #expect(monitor.sparkline(queue: "nope", metric: .depth, bucket: .minutes(1), count: 3) == [nil, nil, nil])
    }

    @Test func evaluatingWithoutNewDataLetsMissingDataCount() {
        let alarm = AlarmDefinition(name: "stale", queue: "orders", metric: .depth, threshold: 100, datapointsToAlarm: 1, evaluationPeriods: 1, treatMissingData: .breaching)
        let monitor = Monitor(definitions: [alarm])
        monitor.ingest([QueueStats(queue: "orders", at: Self.t0, visible: 1, inFlight: 0, delayed: 0, oldestAge: nil)])
        monitor.ingest([], at: Self.t0 + .minutes(1))
        #expect(monitor.status(of: "stale")?.state == .ok)
        let later = monitor.evaluate(at: Self.t0 + .minutes(5))
        #expect(later.map(\.to) == [.alarm], "no samples for minutes 1-4: missing data treated as breaching")
    }
}
