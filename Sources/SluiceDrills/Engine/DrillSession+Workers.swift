import SluiceCore
import SluiceStore

/// One poller of a worker on one queue (a slot of Lambda's concurrency).
struct Poller {
    let worker: Int
    let queue: Int
    /// Bumped whenever a scheduled poll becomes obsolete (woken early, crashed).
    var generation = 0
    var invocation: Int?
    var isWaiting = false
    var isDown = false
}

/// One handler invocation: a received batch processed record by record.
struct Invocation {
    enum Outcome {
        case pending
        case succeeded
        case suppressed
        case failed(type: String, message: String)
        /// The downstream call never returns; only the timeout ends this.
        case hung
    }

    struct Record {
        var key: Int?
        var receipt: String
        var outcome: Outcome = .pending
        /// This invocation holds the key's INPROGRESS record.
        var claimed = false
    }

    let poller: Int
    let worker: Int
    let queue: Int
    let receivedAt: Int64
    let deadline: Int64
    var records: [Record]
    var next = 0
    var alive = true
    /// The finished record's idempotency result, saved together with the next record's claim.
    var settlement: DrillSession.Settlement?
}

extension DrillSession {
    func poll(_ p: Int, generation: Int) throws {
        let poller = pollers[p]
        guard poller.generation == generation, !poller.isDown, poller.invocation == nil else { return }
        let worker = drill.workers[poller.worker]
        let messages = try store.receive(from: queueNames[poller.queue], max: worker.batchSize)
        call(messages.isEmpty ? "receive_empty" : "receive")
        if messages.count < worker.batchSize { maybeVisible[poller.queue] = false }
        guard !messages.isEmpty else { return startWaiting(p) }
        let visibleAgain = now + visibility[poller.queue]
        if now + worker.timeout.millis > visibleAgain {
            agenda.schedule(at: visibleAgain, .release, .visible(queue: poller.queue, count: messages.count))
        }
        var records: [Invocation.Record] = []
        records.reserveCapacity(messages.count)
        for m in messages {
            let key = MessageLedger.key(inBody: m.body)
            if let key, ledger.poisonType(of: key) != nil, m.lineage != nil { counts.poisonRequeued += 1 }
            records.append(Invocation.Record(key: key, receipt: m.receiptHandle ?? ""))
        }
        let id = nextInvocation
        nextInvocation += 1
        counts.invocations += 1
        invocations[id] = Invocation(poller: p, worker: poller.worker, queue: poller.queue, receivedAt: now,
                                     deadline: now + worker.timeout.millis, records: records)
        pollers[p].invocation = id
        agenda.schedule(at: now + worker.timeout.millis, .timeout, .timeout(invocation: id))
        try recordStarts(id)
    }

    /// Parks a poller on its queue until messages arrive or its long poll runs out.
    func startWaiting(_ p: Int) {
        let q = pollers[p].queue
        pollers[p].generation += 1
        pollers[p].isWaiting = true
        waiting[q].append(p)
        agenda.schedule(at: now + drill.workers[pollers[p].worker].longPoll.millis, .poll, .poll(poller: p, generation: pollers[p].generation))
    }

    /// Wakes pollers waiting on a queue, enough for `messages` new ones (SQS long polling hands
    /// new messages to some waiting receivers, not all).
    func wake(queue q: Int, messages: Int) {
        maybeVisible[q] = true
        var budget = max(1, (messages + 9) / 10)
        while budget > 0, !waiting[q].isEmpty {
            let p = waiting[q].removeFirst()
            guard pollers[p].isWaiting else { continue }
            pollers[p].isWaiting = false
            pollers[p].generation += 1
            agenda.schedule(at: now, .poll, .poll(poller: p, generation: pollers[p].generation))
            budget -= 1
        }
    }

    /// The handler starts the next record: idempotency claim, then the downstream call.
    func recordStarts(_ id: Int) throws {
        guard var inv = invocations[id], inv.alive else { return }
        guard inv.next < inv.records.count else { return try finish(id, batchFailure: nil) }
        let worker = drill.workers[inv.worker]
        var record = inv.records[inv.next]
        let name = record.key.map(MessageLedger.keyName)
        var claim: IdempotencyClaim? = nil
        if worker.idempotency {
            try settle(&inv)
            if let name { claim = try self.claim(name, deadline: inv.deadline) }
        }
        var endsAt: Int64? = nil
        defer {
            inv.records[inv.next] = record
            invocations[id] = inv
            if let endsAt, endsAt <= inv.deadline { agenda.schedule(at: endsAt, .record, .recordEnds(invocation: id)) }
        }
        guard let key = record.key, let name else {
            record.outcome = .succeeded
            endsAt = now + 1
            return
        }
        switch claim {
        case .completed:
            record.outcome = .suppressed
            endsAt = now + 1
            return
        case .alreadyInProgress:
            record.outcome = .failed(type: "IdempotencyAlreadyInProgress", message: "\(name) is being processed by another invocation")
            endsAt = now + 1
            return
        case .claimed:
            record.claimed = true
        case nil:
            break
        }
        var rng = workerRNG[inv.worker]
        defer { workerRNG[inv.worker] = rng }
        let drawn = draw(worker.processing, &rng)
        if let poison = ledger.poisonType(of: key) {
            record.outcome = .failed(type: poison, message: "\(name): payload rejected (\(poison))")
            endsAt = now + drawn
            return
        }
        if let (failure, type) = downstreamFailure(worker: inv.worker, key: key, &rng) {
            switch failure {
            case .error:
                record.outcome = .failed(type: type, message: "\(name): downstream call failed (\(type))")
                endsAt = now + worker.processing.lowerBound.millis
            case .hang:
                record.outcome = .hung
            case .lostReply:
                applyEffect(key, queue: inv.queue)
                record.outcome = .hung
            }
            return
        }
        record.outcome = .succeeded
        endsAt = now + (slowProcessing(worker: inv.worker, key: key) ?? drawn)
    }

    /// The record's downstream call returns: the side effect happens, or the failure is noted.
    func recordEnds(_ id: Int) throws {
        guard var inv = invocations[id], inv.alive, inv.next < inv.records.count else { return }
        let worker = drill.workers[inv.worker]
        let record = inv.records[inv.next]
        if record.claimed, let key = record.key {
            let completed = if case .succeeded = record.outcome { true } else { false }
            inv.settlement = Settlement(key: MessageLedger.keyName(key), completed: completed)
            inv.records[inv.next].claimed = false
        }
        switch record.outcome {
        case .succeeded:
            if let key = record.key { applyEffect(key, queue: inv.queue) }
        case .suppressed:
            counts.duplicatesSuppressed += 1
        case let .failed(type, message):
            if !worker.partialBatchFailure {
                inv.next += 1
                invocations[id] = inv
                return try finish(id, batchFailure: (type, message))
            }
        case .pending, .hung:
            return
        }
        inv.next += 1
        invocations[id] = inv
        try recordStarts(id)
    }

    /// The function timeout: the invocation is killed and its whole batch comes back.
    func timedOut(_ id: Int) throws {
        guard let inv = invocations[id], inv.alive else { return }
        counts.timeouts += 1
        let seconds = drill.workers[inv.worker].timeout.seconds
        try finish(id, batchFailure: ("Timeout", "Task timed out after \(String(format: "%.2f", seconds)) seconds"))
    }

    /// Ends an invocation: successes are deleted (unless the whole batch failed), failures are
    /// released with their error type when their visibility timeout runs out.
    func finish(_ id: Int, batchFailure: (type: String, message: String)?) throws {
        guard var inv = invocations.removeValue(forKey: id), inv.alive else { return }
        inv.alive = false
        // The last finished record's result is saved as the handler returns. A record still
        // running when the timeout kills the function keeps its INPROGRESS claim until it expires.
        try settle(&inv)
        var deletes: [String] = []
        var releases: [EventQueue.Release] = []
        var ok: [String] = [], suppressed: [String] = [], failed: [TraceValue] = []
        for record in inv.records {
            let name = record.key.map(MessageLedger.keyName) ?? "?"
            switch (record.outcome, batchFailure) {
            case let (.failed(type, message), _):
                releases.append(.init(receipt: record.receipt, errorType: type, message: message))
                failed.append(.object(["key": .string(name), "error": .string(type)]))
            case let (_, batch?):
                releases.append(.init(receipt: record.receipt, errorType: batch.type, message: batch.message))
                failed.append(.object(["key": .string(name), "error": .string(batch.type)]))
            case (.succeeded, nil):
                deletes.append(record.receipt)
                ok.append(name)
            case (.suppressed, nil):
                deletes.append(record.receipt)
                suppressed.append(name)
            case (.pending, nil), (.hung, nil):
                break
            }
        }
        counts.failures += releases.count
        var start = 0
        while start < deletes.count {
            call("delete")
            let results = try store.delete(from: queueNames[inv.queue], receipts: Array(deletes[start..<min(start + 10, deletes.count)]))
            counts.staleDeletes += results.filter { !$0.succeeded }.count
            start += 10
        }
        if !releases.isEmpty {
            let at = max(now, inv.receivedAt + visibility[inv.queue])
            agenda.schedule(at: at, .release, .release(queue: inv.queue, items: releases))
        }
        trace.emit(now, "invoke", [
            ("worker", .string(drill.workers[inv.worker].name)), ("queue", .string(queueNames[inv.queue])),
            ("ms", .int(now - inv.receivedAt)), ("ok", .strings(ok)), ("suppressed", .strings(suppressed)), ("failed", .array(failed)),
            ("batch_failure", batchFailure.map { .string($0.type) } ?? .null),
        ])
        pollers[inv.poller].invocation = nil
        if !pollers[inv.poller].isDown {
            if maybeVisible[inv.queue] {
                pollers[inv.poller].generation += 1
                agenda.schedule(at: now, .poll, .poll(poller: inv.poller, generation: pollers[inv.poller].generation))
            } else {
                startWaiting(inv.poller)
            }
        }
    }

    /// Records failure verdicts once the records' visibility ran out, so the redrive policy counts
    /// them and the DLQ knows why they died. A record received again meanwhile is left alone.
    func release(queue q: Int, _ items: [EventQueue.Release]) throws {
        var released = 0
        for item in items {
            call("fail")
            do {
                try store.fail(in: queueNames[q], receipt: item.receipt, errorType: item.errorType, errorMessage: item.message)
                released += 1
            } catch let error as SluiceError where error.kind == .staleReceipt {
                continue
            }
        }
        if released > 0 { wake(queue: q, messages: released) }
    }

    func applyEffect(_ key: Int, queue: Int) {
        counts.sideEffects += 1
        if ledger.applyEffect(key) == 1 {
            latencies[Int(ledger[key].queue)].append(now - ledger[key].producedAt)
        } else {
            counts.duplicateSideEffects += 1
        }
    }

    func draw(_ range: ClosedRange<TimeSpan>, _ rng: inout SplitMix64) -> Int64 {
        let low = range.lowerBound.millis, high = range.upperBound.millis
        return high > low ? low + Int64(rng.next() % UInt64(high - low + 1)) : max(1, low)
    }
}
