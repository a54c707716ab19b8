import Foundation
import Testing
import SluiceCore
import SluiceTesting
@testable import SluiceSQS

/// The error mix pushed through to the DLQ: how each type is written on the message.
private func failure(_ i: Int) -> (type: String, attributes: [String: MessageAttribute]) {
    switch i % 4 {
    case 0: ("Timeout", ["ErrorType": .string("Timeout")])
    case 1: ("ThrottlingException", ["ErrorMessage": .string("ThrottlingException: Rate exceeded")])
    case 2: ("Timeout", ["ErrorMessage": .string("Task timed out after 3.00 seconds")])
    default: ("Unknown", ["note": .string("no error recorded")])
    }
}

@Suite("SQS backend against moto", .enabled(if: motoAvailable, "\(MotoServer.unavailableReason)"), .timeLimit(.minutes(5)))
struct MotoBackendTests {
    @Test("queues with a redrive policy: created, listed with their DLQ relationship, not created twice")
    func createAndList() async throws {
        try await MotoFixture.make().use { f in
            let dlq = f.name("orders-dlq"), source = f.name("orders")
            _ = try await f.backend.createQueue(QueueSpec(name: dlq, retention: .days(14)))
            _ = try await f.backend.createQueue(QueueSpec(
                name: source, visibilityTimeout: .seconds(45), retention: .days(2), delay: .seconds(3),
                redrivePolicy: RedrivePolicy(deadLetterQueue: dlq, maxReceiveCount: 3)
            ))
            let mine = try await f.backend.listQueues().filter { $0.name.hasPrefix(f.prefix) }
            #expect(mine.map(\.name) == [source, dlq].sorted())
            let s = try #require(mine.first { $0.name == source })
            #expect(s.spec.visibilityTimeout == .seconds(45) && s.spec.retention == .days(2) && s.spec.delay == .seconds(3))
            #expect(s.spec.redrivePolicy == RedrivePolicy(deadLetterQueue: dlq, maxReceiveCount: 3))
            let d = try #require(mine.first { $0.name == dlq })
            #expect(d.deadLetterSources == [source] && d.isDeadLetterQueue)
            #expect(d.spec.retention == .days(14))

            let sources = try await f.backend.client.listDeadLetterSourceQueues(try await f.backend.url(of: dlq))
            #expect(sources.map { SQSClient.queueName(fromURL: $0) } == [source])

            await #expect { try await f.backend.createQueue(QueueSpec(name: source)) } throws: { ($0 as? SluiceError)?.kind == .conflict }
            await #expect { try await f.backend.createQueue(QueueSpec(name: f.name("x"), redrivePolicy: RedrivePolicy(deadLetterQueue: f.name("missing"), maxReceiveCount: 1))) } throws: { error in
                let e = error as? SluiceError
                return e?.kind == .notFound && e?.fix?.contains("sluice queue create") == true
            }
            await #expect { try await f.backend.stats(for: [f.name("nope")]) } throws: { ($0 as? SluiceError)?.kind == .notFound }
        }
    }

    @Test("messages received past maxReceiveCount reach the DLQ; stats, facets, pages and lookups agree")
    func throughToDLQ() async throws {
        try await MotoFixture.make().use { f in
            let dlq = f.name("dlq"), source = f.name("src")
            _ = try await f.backend.createQueue(QueueSpec(name: dlq))
            _ = try await f.backend.createQueue(QueueSpec(name: source, redrivePolicy: RedrivePolicy(deadLetterQueue: dlq, maxReceiveCount: 2)))
            let count = 60
            try await f.send(source, (0..<count).map { ("msg-\($0)", failure($0).attributes) })
            try await f.drainIntoDLQ(source)

            let before = try await f.backend.stats(for: [source, dlq])
            #expect(before[0].depth == 0)
            #expect(before[1].visible == count && before[1].inFlight == 0)
            #expect(before[1].oldestAge == nil && !before[1].oldestAgeIsFromScan)

            let facets = try await f.backend.facets(of: dlq, filter: .all)
            var expected: [String: Int] = [:]
            for i in 0..<count { expected[failure(i).type, default: 0] += 1 }
            #expect(facets.counts == expected)
            #expect(try await f.backend.facets(of: dlq, filter: MessageFilter(errorTypes: ["Timeout"])).counts == ["Timeout": expected["Timeout"]!])

            // The scan gave every message back: all visible again, and the DLQ now has an oldest age from the scan.
            let after = try await f.backend.stats(for: [dlq])[0]
            #expect(after.visible == count && after.inFlight == 0)
            #expect(after.oldestAgeIsFromScan && after.oldestAge != nil)

            var seen: [String] = []
            var cursor: String? = nil
            repeat {
                let page = try await f.backend.page(of: dlq, filter: .all, after: cursor, limit: 25)
                #expect(page.messages.count <= 25)
                seen += page.messages.map { String(decoding: $0.body, as: UTF8.self) }
                let sent = page.messages.map(\.sentAt)
                #expect(sent == sent.sorted())
                #expect(page.messages.allSatisfy { $0.receiveCount >= 3 && $0.queue == dlq })
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen.sorted() == (0..<count).map { "msg-\($0)" }.sorted())

            let any = try #require(try await f.backend.page(of: dlq, filter: .all, after: nil, limit: 1).messages.first)
            #expect(try await f.backend.message(in: dlq, id: any.id)?.body == any.body)
            #expect(try await f.backend.message(in: dlq, id: "no-such-id") == nil)
        }
    }

    @Test("age filters apply to the scan's SentTimestamps")
    func ageWindow() async throws {
        let clock = ManualClock(start: SystemClock().now())
        try await MotoFixture.make(clock: clock).use { f in
            let dlq = f.name("aged")
            _ = try await f.backend.createQueue(QueueSpec(name: dlq))
            try await f.send(dlq, (0..<5).map { ("old-\($0)", ["ErrorType": .string("Old")]) })
            // Wait (by polling the wall clock, no fixed sleep) until later sends get a later SentTimestamp.
            let snapshot = try await f.backend.refreshSnapshot(of: dlq)
            let lastOld = try #require(snapshot.messages.map(\.sentAt).max())
            while SystemClock().now() <= lastOld + .milliseconds(20) { await Task.yield() }
            try await f.send(dlq, (0..<3).map { ("new-\($0)", ["ErrorType": .string("New")]) })
            _ = try await f.backend.refreshSnapshot(of: dlq)
            let firstNew = try #require(f.backend.cachedSnapshot(of: dlq)?.messages.filter { $0.errorType == "New" }.map(\.sentAt).min())
            clock.set(firstNew + .minutes(10))
            // Every message is at least 10 minutes old now; the boundary between the groups splits them.
            let boundary = clock.now() - (lastOld + .milliseconds(1))
            let oldOnly = try await f.backend.facets(of: dlq, filter: MessageFilter(minAge: boundary))
            #expect(oldOnly.counts == ["Old": 5])
            let newOnly = try await f.backend.facets(of: dlq, filter: MessageFilter(maxAge: boundary - .milliseconds(1)))
            #expect(newOnly.counts == ["New": 3])
        }
    }

    @Test("binary bodies survive the round trip; the encoding marker stays invisible")
    func binaryBody() async throws {
        try await MotoFixture.make().use { f in
            let q = f.name("bin")
            _ = try await f.backend.createQueue(QueueSpec(name: q))
            let body: [UInt8] = [0x00, 0xFF, 0xFE, 0x80, 0x41, 0x0A]
            let r = try await f.backend.send(to: q, entries: [SendEntry(entryId: "b", body: body, attributes: ["k": .string("v")])])
            #expect(r[0].succeeded && r[0].messageId != nil)
            let got = try #require(try await f.backend.receive(from: q, max: 1, visibility: .seconds(30)).first)
            #expect(got.body == body)
            #expect(got.attributes == ["k": .string("v")])
        }
    }

    @Test("batch entries fail one by one: a bogus receipt fails alone; fail() releases the message")
    func entryFailures() async throws {
        try await MotoFixture.make().use { f in
            let q = f.name("entries")
            _ = try await f.backend.createQueue(QueueSpec(name: q))
            try await f.send(q, [("a", [:]), ("b", [:])])
            let got = try await f.backend.receive(from: q, max: 10, visibility: .seconds(300))
            #expect(got.count == 2)
            #expect(try await f.backend.stats(for: [q])[0].inFlight == 2)

            try await f.backend.fail(in: q, receipt: got[0].receiptHandle!, errorType: "Timeout", errorMessage: nil)
            #expect(try await f.backend.stats(for: [q])[0].visible == 1)

            let results = try await f.backend.delete(from: q, receipts: ["bogus-receipt", got[1].receiptHandle!])
            #expect(results.map(\.entryId) == ["0", "1"])
            #expect(results[0].error?.kind == .staleReceipt)
            #expect(results[1].succeeded)
            let visibility = try await f.backend.changeVisibility(in: q, receipts: ["bogus"], visibility: .zero)
            #expect(visibility[0].error != nil)

            var attributes: [String: MessageAttribute] = [:]
            for i in 0..<10 { attributes["a\(i)"] = .string("x") }
            let mixed = try await f.backend.send(to: q, entries: [
                SendEntry(entryId: "ok", body: Array("fine".utf8)),
                SendEntry(entryId: "bin", body: [0xFF], attributes: attributes),
            ])
            #expect(mixed[0].succeeded && mixed[1].error?.kind == .badInput)
        }
    }

    @Test("a held DLQScan freezes a selection, gives back the rest, and moves the selection send-then-delete")
    func scanAndMove() async throws {
        try await MotoFixture.make().use { f in
            let dlq = f.name("dlq"), source = f.name("src")
            _ = try await f.backend.createQueue(QueueSpec(name: dlq))
            _ = try await f.backend.createQueue(QueueSpec(name: source, redrivePolicy: RedrivePolicy(deadLetterQueue: dlq, maxReceiveCount: 1)))
            try await f.send(source, (0..<40).map { ("m\($0)", failure($0).attributes) })
            try await f.drainIntoDLQ(source)

            let scan = try await f.backend.scan(dlq)
            #expect(try await scan.run() == 40)
            #expect(try await f.backend.stats(for: [dlq])[0].inFlight == 40)
            let selected = await scan.select(MessageFilter(errorTypes: ["ThrottlingException"]), now: f.backend.clock.now())
            #expect(selected.count == 10)
            try await scan.release(except: Set(selected.map(\.id)))
            let held = try await f.backend.stats(for: [dlq])[0]
            #expect(held.visible == 30 && held.inFlight == 10)
            try await scan.renewLease()

            let receipts = await scan.receipts(for: selected.map(\.id) + ["unknown"])
            #expect(receipts.count == 10)
            for batch in stride(from: 0, to: selected.count, by: 10).map({ Array(selected[$0..<min($0 + 10, selected.count)]) }) {
                let sent = try await f.backend.send(to: source, entries: batch.enumerated().map { SendEntry(entryId: "x\($0.offset)", body: $0.element.body, attributes: $0.element.attributes) })
                #expect(sent.allSatisfy { $0.succeeded })
                let deleted = try await scan.delete(ids: batch.map(\.id))
                #expect(deleted.values.allSatisfy { $0.succeeded })
            }
            #expect(await scan.count == 0)
            try await scan.releaseAll()

            let end = try await f.backend.stats(for: [source, dlq])
            #expect(end[0].visible == 10)
            #expect(end[1].visible == 30 && end[1].inFlight == 0)
            #expect(try await f.backend.facets(of: dlq, filter: .all).counts["ThrottlingException"] == nil)
        }
    }

    @Test("concurrent facet and page requests share one scan instead of finding the DLQ empty")
    func concurrentBrowsing() async throws {
        try await MotoFixture.make().use { f in
            let dlq = f.name("busy")
            _ = try await f.backend.createQueue(QueueSpec(name: dlq))
            try await f.send(dlq, (0..<20).map { ("c\($0)", failure($0).attributes) })
            async let a = f.backend.facets(of: dlq, filter: .all)
            async let b = f.backend.facets(of: dlq, filter: .all)
            async let c = f.backend.page(of: dlq, filter: .all, after: nil, limit: 100)
            let (fa, fb, page) = try await (a, b, c)
            #expect(fa.total == 20 && fb.total == 20 && page.messages.count == 20)
        }
    }
}
