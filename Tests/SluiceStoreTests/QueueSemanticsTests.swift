import SluiceCore
import SluiceStore
import SluiceTesting
import Testing

/// SQS semantics of the embedded store, on virtual time.
@Suite struct QueueSemanticsTests {
    let t: TemporaryStore
    var store: Store { t.store }

    init() throws {
        t = try TemporaryStore()
        try store.createQueue(QueueSpec(name: "orders-dlq"))
        try store.createQueue(QueueSpec(name: "orders", visibilityTimeout: .seconds(30),
                                        redrivePolicy: RedrivePolicy(deadLetterQueue: "orders-dlq", maxReceiveCount: 3)))
    }

    @Test func receivedMessageStaysHiddenUntilVisibilityTimeoutPasses() throws {
        let id = try store.send(to: "orders", body: Array("hello".utf8))
        let first = try store.receive(from: "orders")
        #expect(first.map(\.id) == [id])
        #expect(first[0].receiveCount == 1)
        t.clock.advance(by: .seconds(29))
        #expect(try store.receive(from: "orders").isEmpty)
        t.clock.advance(by: .seconds(2))
        let second = try store.receive(from: "orders")
        #expect(second.map(\.id) == [id])
        #expect(second[0].receiveCount == 2)
        #expect(second[0].receiptHandle != first[0].receiptHandle)
        #expect(second[0].firstReceivedAt == first[0].firstReceivedAt)
    }

    @Test func perCallVisibilityOverridesTheQueueDefault() throws {
        try store.send(to: "orders", body: [1])
        _ = try store.receive(from: "orders", visibility: .seconds(2))
        t.clock.advance(by: .seconds(3))
        #expect(try store.receive(from: "orders").count == 1)
    }

    @Test func theReceiveAfterMaxReceiveCountMovesTheMessageToTheDLQ() throws {
        let sentAt = t.clock.now()
        let id = try store.send(to: "orders", body: Array("{\"orderId\":1}".utf8), attributes: ["traceparent": .string("00-abc")])
        for expected in 1...3 {
            let got = try store.receive(from: "orders")
            #expect(got.first?.receiveCount == expected)
            t.clock.advance(by: .seconds(31))
        }
        #expect(try store.receive(from: "orders").isEmpty, "the 4th receive dead-letters instead of delivering")
        let dlq = try store.page(of: "orders-dlq", filter: .all, after: nil, limit: 10).messages
        #expect(dlq.count == 1)
        let moved = try #require(dlq.first)
        #expect(moved.id == id, "SQS keeps the message id on a DLQ move")
        #expect(moved.sentAt == sentAt, "SentTimestamp counts from the first enqueue")
        #expect(moved.receiveCount == 3)
        #expect(moved.deadLetteredAt == t.clock.now())
        #expect(moved.attributes["traceparent"]?.stringValue == "00-abc")
        #expect(moved.errorType == unknownErrorType)
        let stats = try store.stats(for: ["orders", "orders-dlq"])
        #expect(stats[0].depth == 0)
        #expect(stats[0].counters?.deadLettered == 1)
        #expect(stats[1].visible == 1)
        #expect(stats[1].oldestAge == TimeSpan.seconds(93))
    }

    @Test func aWorkersFailureVerdictTravelsIntoTheDLQ() throws {
        try store.send(to: "orders", body: Array("x".utf8))
        for _ in 0..<3 {
            let m = try #require(try store.receive(from: "orders").first)
            try store.fail(in: "orders", receipt: m.receiptHandle!, errorType: "Timeout", errorMessage: "payment API took 30s")
        }
        #expect(try store.receive(from: "orders").isEmpty)
        let moved = try #require(try store.page(of: "orders-dlq", filter: .all, after: nil, limit: 1).messages.first)
        #expect(moved.errorType == "Timeout")
        #expect(moved.errorMessage == "payment API took 30s")
        #expect(try store.stats(for: ["orders"])[0].counters?.failed == 3)
        #expect(try store.facets(of: "orders-dlq", filter: .all).counts == ["Timeout": 1])
    }

    @Test func errorTypesOfMessagesSentStraightToADLQComeFromTheirAttributes() throws {
        try store.send(to: "orders-dlq", body: [1], attributes: ["ErrorCode": .number(200), "ErrorMessage": .string("Task timed out after 900.08 seconds")])
        try store.send(to: "orders-dlq", body: [2], attributes: ["errorType": .string("ValidationError")])
        try store.send(to: "orders-dlq", body: [3], attributes: ["ErrorMessage": .string("ThrottlingException: Rate exceeded")])
        try store.send(to: "orders-dlq", body: [4])
        let facets = try store.facets(of: "orders-dlq", filter: .all)
        #expect(facets.counts == ["Timeout": 1, "ValidationError": 1, "ThrottlingException": 1, "Unknown": 1])
    }

    @Test func retentionRemovesExpiredMessages() throws {
        try store.createQueue(QueueSpec(name: "short", retention: .minutes(1)))
        try store.send(to: "short", body: [1])
        t.clock.advance(by: .seconds(59))
        try store.send(to: "short", body: [2])
        #expect(try store.stats(for: ["short"])[0].visible == 2)
        t.clock.advance(by: .seconds(2))
        #expect(try store.stats(for: ["short"])[0].visible == 1, "stats never count expired messages")
        let got = try store.receive(from: "short", max: 10)
        #expect(got.map(\.body) == [[2]])
        #expect(try store.stats(for: ["short"])[0].counters?.expired == 1)
    }

    @Test func dlqRetentionCountsFromTheFirstSend() throws {
        try store.createQueue(QueueSpec(name: "tight-dlq", retention: .minutes(2)))
        try store.createQueue(QueueSpec(name: "tight", visibilityTimeout: .seconds(40), redrivePolicy: RedrivePolicy(deadLetterQueue: "tight-dlq", maxReceiveCount: 1)))
        try store.send(to: "tight", body: [9])
        _ = try store.receive(from: "tight")
        t.clock.advance(by: .seconds(100))
        #expect(try store.receive(from: "tight").isEmpty)
        #expect(try store.stats(for: ["tight-dlq"])[0].visible == 1)
        t.clock.advance(by: .seconds(21))
        #expect(try store.stats(for: ["tight-dlq"])[0].visible == 0, "121 s after the first send, a 2 min DLQ retention has passed")
        #expect(try store.facets(of: "tight-dlq", filter: .all).total == 0)
    }

    @Test func delayedMessagesAppearWhenTheirDelayPasses() throws {
        try store.send(to: "orders", body: [1], delay: .seconds(10))
        var s = try store.stats(for: ["orders"])[0]
        #expect((s.visible, s.delayed, s.inFlight) == (0, 1, 0))
        #expect(try store.receive(from: "orders").isEmpty)
        t.clock.advance(by: .seconds(10))
        s = try store.stats(for: ["orders"])[0]
        #expect((s.visible, s.delayed) == (1, 0))
        _ = try store.receive(from: "orders")
        s = try store.stats(for: ["orders"])[0]
        #expect((s.visible, s.delayed, s.inFlight) == (0, 0, 1))
    }

    @Test func staleReceiptHandlesAreClearErrors() throws {
        try store.send(to: "orders", body: [1])
        let first = try #require(try store.receive(from: "orders").first?.receiptHandle)
        t.clock.advance(by: .seconds(31))
        let second = try #require(try store.receive(from: "orders").first?.receiptHandle)
        let stale = try store.delete(from: "orders", receipts: [first])[0]
        #expect(stale.error?.kind == .staleReceipt)
        #expect(stale.error?.message.contains("received again") == true)
        #expect(try store.delete(from: "orders", receipts: [second])[0].succeeded)
        let gone = try store.delete(from: "orders", receipts: [second])[0]
        #expect(gone.error?.kind == .staleReceipt)
        #expect(try store.delete(from: "orders", receipts: ["garbage"])[0].error?.kind == .badInput)
        #expect(throws: SluiceError.self) { try store.fail(in: "orders", receipt: second, errorType: "X", errorMessage: nil) }
    }

    @Test func aHandleFromAnotherQueueIsRefused() throws {
        try store.send(to: "orders", body: [1])
        let handle = try #require(try store.receive(from: "orders").first?.receiptHandle)
        #expect(try store.delete(from: "orders-dlq", receipts: [handle])[0].error?.message.contains("another queue") == true)
        #expect(try store.delete(from: "orders", receipts: [handle])[0].succeeded)
    }

    @Test func changeVisibilityReleasesOrExtends() throws {
        try store.send(to: "orders", body: [1])
        let h = try #require(try store.receive(from: "orders").first?.receiptHandle)
        #expect(try store.changeVisibility(in: "orders", receipts: [h], visibility: .zero)[0].succeeded)
        let again = try #require(try store.receive(from: "orders").first)
        #expect(again.receiveCount == 2)
        #expect(try store.changeVisibility(in: "orders", receipts: [again.receiptHandle!], visibility: .minutes(10))[0].succeeded)
        t.clock.advance(by: .minutes(5))
        #expect(try store.receive(from: "orders").isEmpty)
        t.clock.advance(by: .minutes(6))
        #expect(try store.changeVisibility(in: "orders", receipts: [again.receiptHandle!], visibility: .minutes(1))[0].error?.kind == .staleReceipt)
    }

    @Test func batchesOfMoreThanTenOrWithRepeatedIdsAreRefusedWhole() throws {
        let eleven = (0..<11).map { SendEntry(entryId: "e\($0)", body: [1]) }
        #expect(throws: SluiceError.badInput("send to 'orders': a batch of 11 entries is too large", fix: "split it into batches of at most 10")) {
            try store.send(to: "orders", entries: eleven)
        }
        let repeated = [SendEntry(entryId: "a", body: [1]), SendEntry(entryId: "a", body: [2])]
        #expect(throws: SluiceError.self) { try store.send(to: "orders", entries: repeated) }
        #expect(throws: SluiceError.self) { try store.send(to: "orders", entries: []) }
        #expect(try store.stats(for: ["orders"])[0].depth == 0, "nothing was sent")
        #expect(throws: SluiceError.self) { try store.receive(from: "orders", max: 11) }
    }

    @Test func eachBatchEntrySucceedsOrFailsOnItsOwn() throws {
        let entries = [
            SendEntry(entryId: "ok1", body: [1]),
            SendEntry(entryId: "huge", body: [UInt8](repeating: 0x41, count: QueueLimits.maxBodyBytes + 1)),
            SendEntry(entryId: "empty", body: []),
            SendEntry(entryId: "badattr", body: [1], attributes: ["k": MessageAttribute(dataType: "Blob", stringValue: "x")]),
            SendEntry(entryId: "ok2", body: [2]),
        ]
        let results = try store.send(to: "orders", entries: entries)
        #expect(results.map(\.entryId) == ["ok1", "huge", "empty", "badattr", "ok2"])
        #expect(results.map(\.succeeded) == [true, false, false, false, true])
        #expect(results[1].error?.message.contains("1 MiB") == true)
        #expect(try store.stats(for: ["orders"])[0].visible == 2)
    }

    @Test func oneMebibyteAndNonUTF8BodiesRoundTrip() throws {
        let big = (0..<QueueLimits.maxBodyBytes).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let binary: [UInt8] = [0xFF, 0xFE, 0xFD, 0x00, 0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x00, 0xFF, 0x80, 0xDE, 0xAD, 0xBE, 0xEF]
        try store.send(to: "orders", body: big)
        try store.send(to: "orders", body: binary, attributes: ["blob": MessageAttribute(dataType: "Binary", binaryValue: [0, 1, 255])])
        let got = try store.receive(from: "orders", max: 10)
        #expect(got.count == 2)
        #expect(got[0].body == big)
        #expect(got[1].body == binary)
        #expect(got[1].attributes["blob"]?.binaryValue == [0, 1, 255])
    }

    @Test func queueErrorsNameTheQueueAndTheFix() throws {
        #expect(throws: SluiceError.self) { try store.createQueue(QueueSpec(name: "orders")) }
        do {
            try store.send(to: "nope", body: [1])
            Issue.record("sending to a missing queue must fail")
        } catch let error as SluiceError {
            #expect(error.kind == .notFound)
            #expect(error.description.contains("'nope'"))
            #expect(error.description.contains("orders"))
        }
        #expect(throws: SluiceError.self) {
            try store.createQueue(QueueSpec(name: "x", redrivePolicy: RedrivePolicy(deadLetterQueue: "missing-dlq", maxReceiveCount: 3)))
        }
        #expect(throws: SluiceError.self) { try store.createQueue(QueueSpec(name: "bad name!")) }
        #expect(throws: SluiceError.self) { try store.createQueue(QueueSpec(name: "v", visibilityTimeout: .hours(13))) }
        #expect(throws: SluiceError.self) { try store.deleteQueue(named: "orders-dlq") }
    }

    @Test func fifoQueuesHoldBackAGroupWhileOneOfItsMessagesIsInFlight() throws {
        try store.createQueue(QueueSpec(name: "jobs.fifo"))
        try store.send(to: "jobs.fifo", body: [1], groupId: "a")
        try store.send(to: "jobs.fifo", body: [2], groupId: "a")
        try store.send(to: "jobs.fifo", body: [3], groupId: "b")
        let first = try store.receive(from: "jobs.fifo", max: 1)
        #expect(first.map(\.body) == [[1]])
        let next = try store.receive(from: "jobs.fifo", max: 10)
        #expect(next.map(\.body) == [[3]], "group a waits for message 1")
        #expect(try store.delete(from: "jobs.fifo", receipts: [first[0].receiptHandle!])[0].succeeded)
        #expect(try store.receive(from: "jobs.fifo", max: 10).map(\.body) == [[2]])
        #expect(try store.send(to: "jobs.fifo", entries: [SendEntry(entryId: "0", body: [4])])[0].error != nil, "FIFO needs a group id")
    }
}
