import SluiceCore
import SluiceStore
import SluiceTesting
import Testing

/// Facet counts and keyset paging against a brute-force oracle on random data.
@Suite struct DLQQueryTests {
    struct Sent { let id: String; let type: String; let sentAt: Timestamp }

    /// Fills a DLQ with messages of random error types sent over three days, some deleted.
    static func fill(_ t: TemporaryStore, seed: UInt64, count: Int) throws -> [Sent] {
        var rng = SplitMix64(seed: seed)
        let types = ["Timeout", "Throttled", "ValidationError", "SchemaMismatch", "Unknown"]
        try t.store.createQueue(QueueSpec(name: "q-dlq", retention: .days(14)))
        try t.store.createQueue(QueueSpec(name: "q", redrivePolicy: RedrivePolicy(deadLetterQueue: "q-dlq", maxReceiveCount: 1)))
        var sent: [Sent] = []
        var i = 0
        while i < count {
            let n = Int(rng.next() % 10) + 1
            let entries = (0..<n).map { k -> SendEntry in
                let type = types[Int(rng.next() % UInt64(types.count))]
                let attrs: [String: MessageAttribute] = type == "Unknown" ? [:] : ["errorType": .string(type)]
                return SendEntry(entryId: "\(k)", body: Array("m\(i + k)".utf8), attributes: attrs)
            }
            let results = try t.store.send(to: "q-dlq", entries: entries)
            for (entry, result) in zip(entries, results) {
                sent.append(Sent(id: result.messageId!, type: entry.attributes["errorType"]?.stringValue ?? "Unknown", sentAt: t.clock.now()))
            }
            i += n
            // Uneven gaps, sometimes inside a minute, sometimes hours: exercises bucket edges.
            t.clock.advance(by: .milliseconds(Int64(rng.next() % 900_000)))
        }
        return sent
    }

    static func oracle(_ sent: [Sent], _ filter: MessageFilter, now: Timestamp) -> [Sent] {
        sent.filter { filter.matches(errorType: $0.type, sentAt: $0.sentAt, now: now) }
    }

    @Test(arguments: [1 as UInt64, 2, 3])
    func facetCountsMatchABruteForceCount(seed: UInt64) throws {
        let t = try TemporaryStore(seed: seed)
        let sent = try Self.fill(t, seed: seed, count: 600)
        var rng = SplitMix64(seed: seed &+ 99)
        let types = ["Timeout", "Throttled", "ValidationError", "SchemaMismatch", "Unknown", "Nope"]
        for _ in 0..<60 {
            var filter = MessageFilter()
            if rng.next() % 2 == 0 { filter.minAge = .milliseconds(Int64(rng.next() % 200_000_000)) }
            if rng.next() % 2 == 0 { filter.maxAge = .milliseconds(Int64(rng.next() % 260_000_000)) }
            if rng.next() % 3 == 0 { filter.errorTypes = [types[Int(rng.next() % 6)], types[Int(rng.next() % 6)]] }
            if filter.isEmptyWindow { continue }
            let expected = Dictionary(grouping: Self.oracle(sent, filter, now: t.clock.now()), by: \.type).mapValues(\.count)
            let got = try t.store.facets(of: "q-dlq", filter: filter)
            #expect(got.counts == expected, "filter \(filter)")
        }
    }

    @Test func facetsStayExactAfterDeletesAndMoves() throws {
        let t = try TemporaryStore(seed: 7)
        var sent = try Self.fill(t, seed: 7, count: 200)
        // Receive and delete a third of the DLQ's messages.
        var deleted = Set<String>()
        for _ in 0..<7 {
            let got = try t.store.receive(from: "q-dlq", max: 10, visibility: .hours(1))
            _ = try t.store.delete(from: "q-dlq", receipts: got.map { $0.receiptHandle! })
            deleted.formUnion(got.map(\.id))
        }
        sent.removeAll { deleted.contains($0.id) }
        // And dead-letter a few fresh messages from the source queue.
        for k in 0..<5 { try t.store.send(to: "q", body: Array("late\(k)".utf8), attributes: ["errorType": .string("Late")]) }
        _ = try t.store.receive(from: "q", max: 10)
        t.clock.advance(by: .minutes(1))
        #expect(try t.store.receive(from: "q", max: 10).isEmpty)
        let now = t.clock.now()
        let late = try t.store.page(of: "q-dlq", filter: MessageFilter(errorTypes: ["Late"]), after: nil, limit: 100).messages
        #expect(late.count == 5)
        sent += late.map { Sent(id: $0.id, type: "Late", sentAt: $0.sentAt) }
        let expected = Dictionary(grouping: sent, by: \.type).mapValues(\.count)
        #expect(try t.store.facets(of: "q-dlq", filter: .all).counts == expected)
        let window = MessageFilter(minAge: .hours(1), maxAge: .days(2))
        let expectedWindow = Dictionary(grouping: Self.oracle(sent, window, now: now), by: \.type).mapValues(\.count)
        #expect(try t.store.facets(of: "q-dlq", filter: window).counts == expectedWindow)
    }

    @Test(arguments: [1, 7, 100])
    func keysetPagingVisitsEveryMatchingMessageOnceInOrder(pageSize: Int) throws {
        let t = try TemporaryStore(seed: 11)
        let sent = try Self.fill(t, seed: 11, count: 300)
        for filter in [MessageFilter.all, MessageFilter(errorTypes: ["Timeout", "Unknown"], minAge: .hours(3)), MessageFilter(maxAge: .days(1))] {
            var seen: [QueueMessage] = []
            var cursor: String? = nil
            repeat {
                let page = try t.store.page(of: "q-dlq", filter: filter, after: cursor, limit: pageSize)
                seen += page.messages
                cursor = page.nextCursor
                #expect(page.messages.count <= pageSize)
            } while cursor != nil
            let expected = Self.oracle(sent, filter, now: t.clock.now())
            #expect(seen.map(\.id) == expected.map(\.id), "oldest first, each exactly once")
            #expect(seen.allSatisfy { filter.matches(errorType: $0.errorType ?? "Unknown", sentAt: $0.sentAt, now: t.clock.now()) })
        }
    }

    @Test func aBadCursorOrLimitIsBadInput() throws {
        let t = try TemporaryStore()
        try t.store.createQueue(QueueSpec(name: "d"))
        #expect(throws: SluiceError.self) { try t.store.page(of: "d", filter: .all, after: "nonsense", limit: 10) }
        #expect(throws: SluiceError.self) { try t.store.page(of: "d", filter: .all, after: nil, limit: 0) }
        #expect(throws: SluiceError.self) { try t.store.facets(of: "d", filter: MessageFilter(minAge: .hours(2), maxAge: .hours(1))) }
    }

    @Test func messageLookupByIdOnlyFindsMessagesOfThatQueue() throws {
        let t = try TemporaryStore()
        try t.store.createQueue(QueueSpec(name: "a"))
        try t.store.createQueue(QueueSpec(name: "b"))
        let id = try t.store.send(to: "a", body: Array("x".utf8))
        #expect(try t.store.message(in: "a", id: id)?.body == Array("x".utf8))
        #expect(try t.store.message(in: "b", id: id) == nil)
        #expect(try t.store.message(in: "a", id: "not-an-id") == nil)
    }
}
