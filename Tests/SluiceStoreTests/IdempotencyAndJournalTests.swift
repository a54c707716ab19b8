import Foundation
import SluiceCore
import SluiceStore
import SluiceTesting
import Testing

@Suite struct IdempotencyTests {
    @Test func concurrentDuplicatesGetAlreadyInProgressAndExactlyOneRuns() async throws {
        let t = try TemporaryStore()
        let store = t.store
        let claims = try await withThrowingTaskGroup(of: IdempotencyClaim.self) { group in
            for _ in 0..<32 {
                group.addTask { try store.claimIdempotency(key: "order-42", inProgressTTL: .seconds(30)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(claims.filter { $0 == .claimed(tookOver: false) }.count == 1)
        #expect(claims.filter { if case .alreadyInProgress = $0 { true } else { false } }.count == 31)
        try store.completeIdempotency(key: "order-42", result: Array("charged".utf8), ttl: .hours(1))
        #expect(try store.claimIdempotency(key: "order-42", inProgressTTL: .seconds(30)) == .completed(result: Array("charged".utf8)))
        t.clock.advance(by: .hours(1))
        #expect(try store.claimIdempotency(key: "order-42", inProgressTTL: .seconds(30)) == .claimed(tookOver: false), "an expired completed record no longer protects the key")
    }

    @Test func anExpiredInProgressClaimCanBeTakenOver() throws {
        let t = try TemporaryStore()
        #expect(try t.store.claimIdempotency(key: "k", inProgressTTL: .seconds(10)) == .claimed(tookOver: false))
        t.clock.advance(by: .seconds(9))
        #expect(try t.store.claimIdempotency(key: "k", inProgressTTL: .seconds(10)) == .alreadyInProgress(until: t.clock.now() + .seconds(1)))
        t.clock.advance(by: .seconds(1))
        #expect(try t.store.claimIdempotency(key: "k", inProgressTTL: .seconds(10)) == .claimed(tookOver: true))
    }

    @Test func aFailedRunReleasesTheClaim() throws {
        let t = try TemporaryStore()
        _ = try t.store.claimIdempotency(key: "k", inProgressTTL: .minutes(5))
        try t.store.releaseIdempotency(key: "k")
        #expect(try t.store.claimIdempotency(key: "k", inProgressTTL: .minutes(5)) == .claimed(tookOver: false))
        #expect(throws: SluiceError.self) { try t.store.completeIdempotency(key: "never-claimed", result: nil, ttl: .hours(1)) }
    }
}

@Suite struct JournalTests {
    @Test func theJournalIsAppendOnly() throws {
        let t = try TemporaryStore()
        let entry = try t.store.appendJournal(action: "redrive.start", subject: "orders-dlq", details: ["why": "payment API restored"], actor: "alice")
        #expect(throws: SluiceError.self) { try t.store.attemptJournalRewrite(seq: entry.seq) }
        #expect(throws: SluiceError.self) { try t.store.attemptJournalDelete(seq: entry.seq) }
        let all = try t.store.journal()
        #expect(all.last == entry)
        #expect(all.last?.details["why"] == "payment API restored")
    }

    @Test func queueChangesAreJournalledWithTheActor() throws {
        let t = try TemporaryStore()
        try t.store.createQueue(QueueSpec(name: "a"))
        let entries = try t.store.journal()
        #expect(entries.map(\.action) == ["queue.create"])
        #expect(entries[0].actor == Store.currentActor)
        #expect(try t.store.journal(since: t.clock.now() + .seconds(1)).isEmpty)
    }
}
