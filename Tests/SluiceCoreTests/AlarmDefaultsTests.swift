import Testing
import SluiceCore

@Suite struct AlarmDefaultsTests {
    static let topology = [
        QueueInfo(spec: QueueSpec(name: "orders", redrivePolicy: RedrivePolicy(deadLetterQueue: "orders-dlq", maxReceiveCount: 3)), deadLetterSources: []),
        QueueInfo(spec: QueueSpec(name: "orders-dlq"), deadLetterSources: ["orders"]),
        QueueInfo(spec: QueueSpec(name: "payments"), deadLetterSources: []),
        QueueInfo(spec: QueueSpec(name: "shared-dlq"), deadLetterSources: ["a", "b"]),
    ]

    @Test func everyDLQAndWorkerQueueGetsItsAlarms() throws {
        let alarms = AlarmDefinition.defaults(for: Self.topology)
        #expect(alarms.map(\.name) == [
            "orders-backlog-growing", "orders-dlq-not-empty", "orders-dlq-oldest-age", "orders-worker-errors",
            "shared-dlq-not-empty", "shared-dlq-oldest-age",
        ])
        for alarm in alarms { try alarm.validate() }

        let byName = Dictionary(uniqueKeysWithValues: alarms.map { ($0.name, $0) })
        let notEmpty = try #require(byName["orders-dlq-not-empty"])
        #expect(notEmpty.queue == "orders-dlq")
        #expect(notEmpty.metric == .depth && notEmpty.comparison == .greaterThanThreshold && notEmpty.threshold == 0)
        #expect(notEmpty.period * Int64(notEmpty.evaluationPeriods) == .minutes(5))
        #expect(notEmpty.datapointsToAlarm == notEmpty.evaluationPeriods, "depth > 0 for the whole 5 minutes")

        let age = try #require(byName["orders-dlq-oldest-age"])
        #expect(age.metric == .oldestAgeSeconds && age.threshold == 300 && age.treatMissingData == .notBreaching)

        let errors = try #require(byName["orders-worker-errors"])
        #expect(errors.queue == "orders" && errors.metric == .failed && errors.statistic == .sum && errors.threshold == 0)
        #expect(errors.severity == .alarm)

        let backlog = try #require(byName["orders-backlog-growing"])
        #expect(backlog.severity == .warning && backlog.metric == .depthDelta && backlog.evaluationPeriods == 5)
        #expect(!alarms.contains { $0.queue == "payments" }, "a plain queue without a DLQ gets no default alarm")
    }

    @Test func configuredAlarmsOverrideDefaultsByName() {
        let mine = AlarmDefinition(name: "orders-dlq-not-empty", queue: "orders-dlq", metric: .depth, threshold: 10)
        let merged = AlarmDefinition.merging([mine], withDefaultsFor: Self.topology)
        #expect(merged.filter { $0.name == "orders-dlq-not-empty" } == [mine])
        #expect(merged.count == 6)
    }

    @Test func backlogGrowingFiresOnlyWhileDepthRisesEveryPeriod() {
        let alarm = AlarmDefinition.defaults(for: Self.topology).first { $0.name == "orders-backlog-growing" }!
        let monitor = Monitor(definitions: [alarm])
        let t0 = Timestamp(millis: 1_795_600_020_000)
        var depth = 0
        var fired: Timestamp? = nil
        for step in 0...60 { // 10 minutes, a sample every 10 s; depth grows for 7 minutes then holds
            let at = t0 + .seconds(Int64(step) * 10)
            if step < 42 { depth += 1 }
            let transitions = monitor.ingest([QueueStats(queue: "orders", at: at, visible: depth, inFlight: 0, delayed: 0, oldestAge: .seconds(1))])
            if transitions.contains(where: { $0.to == .alarm }) { fired = at }
        }
        #expect(fired == t0 + .minutes(5), "the first 5 complete minutes all grew")
        #expect(monitor.status(of: "orders-backlog-growing")?.state == .ok, "depth stopped growing at 7m")
        #expect(monitor.status(of: "orders-backlog-growing")?.since == t0 + .minutes(8))
    }
}
