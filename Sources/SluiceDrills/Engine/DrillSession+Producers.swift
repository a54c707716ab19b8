import SluiceCore
import SluiceStore

/// Where a producer is: its random stream, the fraction of a message carried to the next window,
/// duplicates waiting to be sent again, the round-robin position.
struct ProducerState {
    var rng: SplitMix64
    var carry = 0.0
    var duplicates: [(key: Int, queue: Int)] = []
    var turn = 0
}

extension DrillSession {
    /// One producer window ends: its messages are sent, in batches, to their queues.
    func produce(_ index: Int) throws {
        let p = drill.producers[index]
        let window = p.window.millis
        let rate = p.rate(at: TimeSpan(millis: now - window))
        producers[index].carry += rate * Double(window) / 1000
        let fresh = Int(producers[index].carry)
        producers[index].carry -= Double(fresh)

        var byQueue: [[(key: Int, tenant: Int, poison: String?, duplicate: Bool)]] = Array(repeating: [], count: queueNames.count)
        for dup in producers[index].duplicates {
            let r = ledger[dup.key]
            byQueue[dup.queue].append((dup.key, Int(r.tenant), ledger.poisonType(of: dup.key), true))
        }
        producers[index].duplicates.removeAll()
        for _ in 0..<fresh {
            let tenant = pickTenant(p, &producers[index].rng)
            let poison = p.poisonRatio > 0 && unit(&producers[index].rng) < p.poisonRatio ? p.poisonErrorType : nil
            let queue = pickQueue(p, tenant: tenant, state: &producers[index])
            let key = ledger.add(producedAt: now, tenant: tenant, poisonType: poison, queue: queue)
            byQueue[queue].append((key, tenant, poison, false))
            if p.duplicateRatio > 0 && unit(&producers[index].rng) < p.duplicateRatio {
                producers[index].duplicates.append((key, queue))
            }
        }
        for (q, messages) in byQueue.enumerated() where !messages.isEmpty {
            try send(messages.map { ($0.key, $0.tenant, $0.poison) }, to: q, batchSize: p.batchSize)
            sentSinceSample[q] += messages.count
            trace.emit(now, "send", [
                ("producer", .string(p.name)), ("queue", .string(queueNames[q])),
                ("keys", .strings(messages.filter { !$0.duplicate }.map { MessageLedger.keyName($0.key) })),
                ("duplicates", .strings(messages.filter(\.duplicate).map { MessageLedger.keyName($0.key) })),
            ])
        }
        // A window that would end at or after the drill's end is never sent: nothing could
        // process it, and a drill's last instant is for reading the end state.
        let next = now + window
        if next <= (p.stop ?? drill.duration).millis, next < drill.duration.millis {
            agenda.schedule(at: next, .produce, .produce(producer: index))
        }
    }

    /// Sends messages in batches of `batchSize` and wakes pollers waiting on the queue.
    func send(_ messages: [(key: Int, tenant: Int, poison: String?)], to q: Int, batchSize: Int) throws {
        var start = 0
        while start < messages.count {
            let chunk = messages[start..<min(start + batchSize, messages.count)]
            let entries = chunk.enumerated().map { i, m in
                SendEntry(entryId: String(i), body: MessageLedger.body(key: m.key, tenant: m.tenant, poisonType: m.poison))
            }
            call("send")
            let results = try store.send(to: queueNames[q], entries: entries)
            if let failed = results.first(where: { !$0.succeeded }), let error = failed.error {
                throw SluiceError(.internalError, "drill send to '\(queueNames[q])' failed: \(error.description)")
            }
            counts.sent += chunk.count
            start += batchSize
        }
        wake(queue: q, messages: messages.count)
    }

    /// A tenant for the next message: the hot tenant `t0` with its share, else uniform.
    func pickTenant(_ p: DrillProducer, _ rng: inout SplitMix64) -> Int {
        guard p.tenants > 1 else { return 0 }
        if let share = p.hotTenantShare, unit(&rng) < share { return 0 }
        return Int(rng.next() % UInt64(p.tenants))
    }

    /// The queue for a tenant's message. Best-of-two looks at two queues picked by hashing the
    /// tenant and takes the shallower, by the last sample plus what was sent since.
    func pickQueue(_ p: DrillProducer, tenant: Int, state: inout ProducerState) -> Int {
        let targets = p.queues.compactMap { queueIndex[$0] }
        guard targets.count > 1 else { return targets[0] }
        let h = DrillSession.hash("t\(tenant)")
        switch p.distribution {
        case .roundRobin:
            state.turn += 1
            return targets[(state.turn - 1) % targets.count]
        case .hash:
            return targets[Int(h % UInt64(targets.count))]
        case .bestOfTwo:
            let first = Int(h % UInt64(targets.count))
            let second = (first + 1 + Int((h >> 32) % UInt64(targets.count - 1))) % targets.count
            let a = targets[first], b = targets[second]
            return depthEstimate(b) < depthEstimate(a) ? b : a
        }
    }

    func depthEstimate(_ q: Int) -> Int {
        (monitor.latest(queueNames[q])?.depth ?? 0) + sentSinceSample[q]
    }

    /// A uniform draw in [0, 1).
    func unit(_ rng: inout SplitMix64) -> Double {
        Double(rng.next() >> 11) / Double(1 << 53)
    }

    /// FNV-1a of a text: stable across runs and machines, unlike `hashValue`.
    static func hash(_ text: String) -> UInt64 {
        var d = Digest()
        d.add(text)
        return d.value
    }
}
