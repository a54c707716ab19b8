import SluiceConsole
import SluiceCore

/// Deterministic console states built the way the runtime builds them: by applying events.
enum Fixtures {
    static let now = Timestamp(millis: 1_795_600_000_000)

    static let queues: [QueueInfo] = [
        QueueInfo(spec: QueueSpec(name: "notifications"), deadLetterSources: []),
        QueueInfo(spec: QueueSpec(name: "orders", redrivePolicy: RedrivePolicy(deadLetterQueue: "orders-dlq", maxReceiveCount: 3)), deadLetterSources: []),
        QueueInfo(spec: QueueSpec(name: "orders-dlq"), deadLetterSources: ["orders"]),
        QueueInfo(spec: QueueSpec(name: "payments", redrivePolicy: RedrivePolicy(deadLetterQueue: "payments-dlq", maxReceiveCount: 3)), deadLetterSources: []),
        QueueInfo(spec: QueueSpec(name: "payments-dlq"), deadLetterSources: ["payments"]),
    ]

    static func report(at time: Timestamp = now, transitions: [AlarmTransition] = []) -> MonitorReport {
        func stats(_ q: String, _ visible: Int, _ inFlight: Int, _ delayed: Int, _ oldest: TimeSpan?) -> QueueStats {
            QueueStats(queue: q, at: time, visible: visible, inFlight: inFlight, delayed: delayed, oldestAge: oldest)
        }
        return MonitorReport(
            at: time,
            readouts: [
                QueueReadout(stats: stats("notifications", 3, 1, 0, .seconds(2)), inRate: 3.1, outRate: 3.0, depthHistory: [2, 4, 3, 5, 4, 3, 4]),
                QueueReadout(stats: stats("orders", 18, 10, 0, .seconds(4)), inRate: 6.2, outRate: 5.8, depthHistory: [10, 20, 35, 28, 30, 26, 28]),
                QueueReadout(stats: stats("orders-dlq", 1_240, 0, 0, .hours(6)), inRate: 0.4, outRate: 0, depthHistory: [1200, 1210, 1220, 1228, 1235, 1240]),
                QueueReadout(stats: stats("payments", 7, 4, 2, .seconds(3)), inRate: 4.0, outRate: 4.1, depthHistory: [5, 8, 9, 12, 11, 13]),
                QueueReadout(stats: stats("payments-dlq", 172, 0, 0, .days(3) + .hours(20)), inRate: 1.5, outRate: 0, depthHistory: [160, 162, 165, 168, 170, 172]),
            ],
            alarms: [
                AlarmRow(name: "orders-dlq-not-empty", queue: "orders-dlq", status: AlarmStatus(state: .alarm, since: time - .minutes(7), reason: "Threshold Crossed: 5 out of the last 5 datapoints were greater than the threshold (0.0)")),
                AlarmRow(name: "orders-dlq-oldest-age", queue: "orders-dlq", status: AlarmStatus(state: .alarm, since: time - .minutes(12), reason: "Threshold Crossed: 1 datapoint [21600.0] was greater than the threshold (300.0)")),
                AlarmRow(name: "orders-worker-errors", queue: "orders", status: AlarmStatus(state: .ok, since: time - .minutes(3), reason: "Threshold Crossed: no datapoint was greater than the threshold (0.0)")),
                AlarmRow(name: "payments-dlq-not-empty", queue: "payments-dlq", status: AlarmStatus(state: .insufficientData, since: time - .seconds(40), reason: "Unchecked: Initial alarm creation")),
            ],
            transitions: transitions)
    }

    /// The dashboard with queues and one stats poll.
    static func dashboard(size: Size = .comfortable, readOnly: Bool = false) -> ConsoleState {
        var state = ConsoleState(backendLabel: "embedded /tmp/demo/demo.sluice", isReadOnly: readOnly, now: now, size: size)
        _ = state.apply(.queuesLoaded(queues))
        _ = state.apply(.statsLoaded(report(transitions: [
            AlarmTransition(name: "orders-dlq-not-empty", queue: "orders-dlq", severity: .alarm, from: .insufficientData, to: .alarm, at: now, reason: "Threshold Crossed: 5 out of the last 5 datapoints were greater than the threshold (0.0)"),
        ])))
        return state
    }

    static let errorTypes = ["Timeout", "ValidationError", "Throttled", "SchemaMismatch", "Unknown"]

    /// A DLQ summary row.
    static func summary(_ n: Int, type: String? = nil) -> MessageSummary {
        let t = type ?? errorTypes[n % errorTypes.count]
        return MessageSummary(
            id: "6f3c2a1e-9b7d-4c55-8e0a-\(String(String(n, radix: 16)).leftZeroPad(12))",
            errorType: t, errorMessage: t == "Timeout" ? "Task timed out after 30.00 seconds" : "\(t): something went wrong with message \(n)",
            sentAt: now - .minutes(Int64(600 - n)), deadLetteredAt: now - .minutes(Int64(590 - n)), receiveCount: 3,
            preview: "{\"orderId\":\"ord-20261123-\(String(n).leftZeroPad(5))\",\"customerId\":\"cus-8812\",\"amount\":{\"currency\":\"EUR\",\"value\":\"129.90\"}}",
            bodyBytes: 180)
    }

    static let facets = FacetCounts(counts: ["Timeout": 520, "ValidationError": 310, "Throttled": 240, "SchemaMismatch": 120, "Unknown": 50])

    /// The DLQ browser on orders-dlq with facets and the first page loaded.
    static func browser(size: Size = .comfortable) -> ConsoleState {
        var state = dashboard(size: size)
        _ = state.apply(.key(.char("j")))
        _ = state.apply(.key(.enter))
        let generation = state.browser!.generation
        _ = state.apply(.facetsLoaded(queue: "orders-dlq", generation: generation, facets))
        _ = state.apply(.pageLoaded(queue: "orders-dlq", generation: generation, page: 0, messages: (0..<100).map { summary($0) }, nextCursor: "c100"))
        return state
    }

    /// A full message as the backend returns it.
    static func message(body: [UInt8], id: String = "6f3c2a1e-9b7d-4c55-8e0a-000000000002") -> QueueMessage {
        QueueMessage(
            id: id, queue: "orders-dlq", body: body,
            attributes: [
                "ErrorMessage": .string("Task timed out after 30.00 seconds"),
                "ErrorCode": .number(200),
                "RequestID": .string("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"),
                "checksum": MessageAttribute(dataType: "Binary", binaryValue: [0xDE, 0xAD, 0xBE, 0xEF]),
            ],
            sentAt: now - .hours(5), receiveCount: 3, firstReceivedAt: now - .hours(5) + .seconds(1),
            deadLetteredAt: now - .hours(4), errorType: "Timeout", errorMessage: "Task timed out after 30.00 seconds")
    }

    static let orderBody = Array("{\"orderId\":\"ord-20261120-00421\",\"customerId\":\"cus-8812\",\"amount\":{\"currency\":\"EUR\",\"value\":\"129.90\"},\"items\":[{\"sku\":\"BK-0042\",\"qty\":2}],\"idempotencyKey\":\"b7e1c1d0f0a94f6c\"}".utf8)
    static let binaryBody: [UInt8] = [0xFF, 0xFE, 0xFD, 0x00, 0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x00, 0xFF, 0x80, 0xDE, 0xAD, 0xBE, 0xEF, 0x1B, 0x5B, 0x32, 0x4A]

    /// Message detail of the third message, loaded with `body`.
    static func detail(body: [UInt8], size: Size = .comfortable) -> ConsoleState {
        var state = browser(size: size)
        _ = state.apply(.key(.char("j")))
        _ = state.apply(.key(.char("j")))
        _ = state.apply(.key(.enter))
        _ = state.apply(.messageLoaded(queue: "orders-dlq", id: state.detail!.id, message(body: body, id: state.detail!.id)))
        return state
    }

    static let journal: [JournalEntry] = [
        JournalEntry(seq: 1, at: now - .hours(2), actor: "ana", action: "queue.create", subject: "orders-dlq", details: ["spec": "visibility=30s retention=4d"]),
        JournalEntry(seq: 2, at: now - .hours(2), actor: "ana", action: "queue.create", subject: "orders", details: ["spec": "dlq=orders-dlq maxReceiveCount=3"]),
        JournalEntry(seq: 3, at: now - .minutes(30), actor: "ben", action: "redrive.start", subject: "job-7f3a", details: ["dlq": "orders-dlq", "runbook": "downstream-timeout", "count": "412"]),
        JournalEntry(seq: 4, at: now - .minutes(20), actor: "ben", action: "redrive.finish", subject: "job-7f3a", details: ["moved": "400", "skipped": "12"]),
    ]

    static func journalScreen(size: Size = .comfortable) -> ConsoleState {
        var state = dashboard(size: size)
        _ = state.apply(.key(.char("J")))
        _ = state.apply(.journalLoaded(journal))
        return state
    }
}

extension String {
    func leftZeroPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
