import Synchronization
import Testing
import SluiceCore
@testable import SluiceSQS

@Suite("Retries")
struct RetryPolicyTests {
    @Test("full jitter: every wait lies in 0...min(maxDelay, base * 2^(n-1)) and uses the whole range")
    func jitterBounds() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(2))
        let random = RetryRandom(seed: 1)
        #expect(policy.ceiling(afterAttempt: 1) == .milliseconds(100))
        #expect(policy.ceiling(afterAttempt: 3) == .milliseconds(400))
        #expect(policy.ceiling(afterAttempt: 6) == .seconds(2))
        #expect(policy.ceiling(afterAttempt: 80) == .seconds(2))
        for attempt in 1...8 {
            let ceiling = policy.ceiling(afterAttempt: attempt)
            let waits = (0..<400).map { _ in policy.backoff(afterAttempt: attempt) { random.next(upTo: $0) } }
            #expect(waits.allSatisfy { $0 >= .zero && $0 <= ceiling })
            // Full jitter, not "equal jitter": short waits happen, and so do waits near the ceiling.
            #expect(waits.contains { $0.millis <= ceiling.millis / 10 })
            #expect(waits.contains { $0.millis >= ceiling.millis * 9 / 10 })
        }
    }

    @Test("the same seed gives the same waits")
    func seeded() {
        let policy = RetryPolicy()
        let a = RetryRandom(seed: 99), b = RetryRandom(seed: 99)
        let wa = (1...6).map { policy.backoff(afterAttempt: $0) { a.next(upTo: $0) } }
        let wb = (1...6).map { policy.backoff(afterAttempt: $0) { b.next(upTo: $0) } }
        #expect(wa == wb)
    }

    @Test("retryable errors are retried up to maxAttempts, sleeping on the injected clock")
    func boundedAttempts() async throws {
        let clock = ManualClock(start: Timestamp(millis: 0))
        let waits = Mutex<[TimeSpan]>([])
        let retrier = Retrier(policy: RetryPolicy(maxAttempts: 5, baseDelay: .seconds(1), maxDelay: .seconds(30), deadline: .hours(1)), clock: clock, random: RetryRandom(seed: 3)) { _, _, wait in
            waits.withLock { $0.append(wait) }
        }
        let calls = Mutex(0)
        await #expect(throws: SQSError.self) {
            try await retrier.run { (_, _) async throws(SQSError) -> Int in
                calls.withLock { $0 += 1 }
                throw SQSError(.throttling, operation: "Test", message: "slow down")
            }
        }
        #expect(calls.withLock { $0 } == 5)
        let all = waits.withLock { $0 }
        #expect(all.count == 4)
        #expect(clock.now().millis == all.reduce(0) { $0 + $1.millis })
        for (i, w) in all.enumerated() { #expect(w <= RetryPolicy(baseDelay: .seconds(1), maxDelay: .seconds(30)).ceiling(afterAttempt: i + 1)) }
    }

    @Test("non-retryable errors fail at once")
    func noRetryForClientErrors() async {
        let calls = Mutex(0)
        let retrier = Retrier(clock: ManualClock(), random: RetryRandom(seed: 1))
        await #expect(throws: SQSError.self) {
            try await retrier.run { (_, _) async throws(SQSError) -> Int in
                calls.withLock { $0 += 1 }
                throw SQSError(.accessDenied, operation: "Test", message: "no")
            }
        }
        #expect(calls.withLock { $0 } == 1)
    }

    @Test("a wait that would pass the deadline is not taken")
    func deadline() async {
        let clock = ManualClock(start: Timestamp(millis: 0))
        let calls = Mutex(0)
        // Every attempt takes 4 s of virtual time; the deadline is 10 s.
        let retrier = Retrier(policy: RetryPolicy(maxAttempts: 100, baseDelay: .milliseconds(500), maxDelay: .seconds(1), deadline: .seconds(10)), clock: clock, random: RetryRandom(seed: 5))
        await #expect(throws: SQSError.self) {
            try await retrier.run { (_, left) async throws(SQSError) -> Int in
                calls.withLock { $0 += 1 }
                #expect(left > .zero)
                clock.advance(by: .seconds(4))
                throw SQSError(.serverError, operation: "Test", message: "down")
            }
        }
        #expect(calls.withLock { $0 } == 3)
        #expect(clock.now().millis <= 14_000)
    }

    @Test("the client retries throttling and 5xx, then succeeds")
    func clientRecovers() async throws {
        let transport = ScriptedTransport([throttled, serverError, .fail(.transport), .respond(status: 200, body: #"{"QueueUrl":"\#(queueURL)"}"#)])
        let client = scriptedClient(transport)
        #expect(try await client.getQueueUrl("orders") == queueURL)
        #expect(transport.sent.count == 4)
        // Each attempt is signed anew (its own x-amz-date).
        #expect(transport.sent.allSatisfy { $0.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 ") == true })
        #expect(transport.sent.allSatisfy { $0.headers["x-amz-target"] == "AmazonSQS.GetQueueUrl" && $0.headers["content-type"] == "application/x-amz-json-1.0" })
    }

    @Test("errors are typed from __type and x-amzn-query-error")
    func errorTyping() async {
        let cases: [(ScriptedTransport.Step, SQSError.Kind, SluiceError.Kind)] = [
            (.respond(status: 400, body: #"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#,
                      headers: ["x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender"]), .nonExistentQueue, .notFound),
            (.respond(status: 400, body: #"{"__type":"com.amazonaws.sqs#InvalidParameterValue","message":"bad"}"#), .invalidParameter, .badInput),
            (.respond(status: 403, body: #"{"__type":"com.amazon.coral.service#AccessDeniedException","message":"no"}"#), .accessDenied, .remote),
            (.respond(status: 400, body: #"{"__type":"com.amazonaws.sqs#QueueNameExists","message":"exists"}"#), .queueAlreadyExists, .conflict),
            (.respond(status: 418, body: "not json"), .other, .remote),
        ]
        for (step, kind, sluiceKind) in cases {
            let client = scriptedClient(ScriptedTransport([step]))
            do {
                _ = try await client.getQueueUrl("orders")
                Issue.record("expected \(kind)")
            } catch {
                #expect(error.kind == kind)
                #expect(error.sluiceError.kind == sluiceKind)
                #expect(error.sluiceError.fix != nil)
            }
        }
    }

    @Test("a batch retries only the entries that failed on the server's side")
    func perEntryRetry() async throws {
        let first = #"""
            {"Successful":[{"Id":"a","MessageId":"m-a"}],
             "Failed":[{"Id":"b","SenderFault":false,"Code":"InternalError","Message":"try again"},
                       {"Id":"c","SenderFault":true,"Code":"InvalidMessageContents","Message":"bad body"}]}
            """#
        let second = #"{"Successful":[{"Id":"b","MessageId":"m-b"}],"Failed":[]}"#
        let transport = ScriptedTransport([.respond(status: 200, body: first), .respond(status: 200, body: second)])
        let client = scriptedClient(transport)
        let results = try await client.sendMessageBatch(queueURL, entries: [
            SendEntry(entryId: "a", body: Array("1".utf8)), SendEntry(entryId: "b", body: Array("2".utf8)), SendEntry(entryId: "c", body: Array("3".utf8)),
        ])
        #expect(results.map(\.entryId) == ["a", "b", "c"])
        #expect(results[0].messageId == "m-a" && results[1].messageId == "m-b")
        #expect(results[2].error?.kind == .badInput)
        #expect(transport.sent.count == 2)
        #expect(transport.sent[1].body.contains(#""Id":"b""#) && !transport.sent[1].body.contains(#""Id":"a""#))
    }
}
