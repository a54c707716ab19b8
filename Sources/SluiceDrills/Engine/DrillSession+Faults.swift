import SluiceCore
import SluiceStore

extension DrillSession {
    func faultStarts(_ index: Int) throws {
        let fault = drill.faults[index]
        trace.emit(now, "fault.start", [("fault", .int(index)), ("what", .string(fault.description))])
        note("fault: \(fault.description)")
        switch fault.kind {
        case let .poison(queue, count, errorType):
            guard let q = queueIndex[queue] else { return }
            let keys = (0..<count).map { _ in ledger.add(producedAt: now, tenant: 0, poisonType: errorType, queue: q) }
            try send(keys.map { ($0, 0, errorType) }, to: q, batchSize: 10)
            sentSinceSample[q] += count
            trace.emit(now, "send", [("producer", .string("fault")), ("queue", .string(queue)),
                                     ("keys", .strings(keys.map(MessageLedger.keyName))), ("duplicates", .array([]))])
        case let .crash(worker):
            guard let w = drill.workers.firstIndex(where: { $0.name == worker }) else { return }
            workerDown[w] = true
            var stranded = 0
            for p in pollers.indices where pollers[p].worker == w {
                pollers[p].isDown = true
                pollers[p].isWaiting = false
                pollers[p].generation += 1
                if let id = pollers[p].invocation, var inv = invocations.removeValue(forKey: id) {
                    // A record that finished at this very instant had saved its result.
                    try settle(&inv)
                    stranded += inv.records.count
                    let visibleAgain = max(now, inv.receivedAt + visibility[inv.queue])
                    agenda.schedule(at: visibleAgain, .release, .visible(queue: inv.queue, count: inv.records.count))
                    pollers[p].invocation = nil
                }
                waiting[pollers[p].queue].removeAll { $0 == p }
            }
            trace.emit(now, "crash", [("worker", .string(worker)), ("in_flight", .int(stranded))])
        case let .slow(_, _, _, count):
            if let count { slowLeft[index] = count }
        case .downstream:
            break
        }
    }

    func faultEnds(_ index: Int) {
        let fault = drill.faults[index]
        trace.emit(now, "fault.end", [("fault", .int(index)), ("what", .string(fault.description))])
        note("fault over: \(fault.description)")
        if case let .crash(worker) = fault.kind, let w = drill.workers.firstIndex(where: { $0.name == worker }) {
            workerDown[w] = false
            for p in pollers.indices where pollers[p].worker == w {
                pollers[p].isDown = false
                pollers[p].generation += 1
                agenda.schedule(at: now, .poll, .poll(poller: p, generation: pollers[p].generation))
            }
        }
    }

    /// The first active downstream fault of a worker that hits this call (by its ratio): at
    /// random per call, or by the message's key when the fault affects messages.
    func downstreamFailure(worker w: Int, key: Int, _ rng: inout SplitMix64) -> (DrillFault.CallFailure, String)? {
        let name = drill.workers[w].name
        let t = TimeSpan(millis: now)
        for (i, fault) in drill.faults.enumerated() where fault.isActive(at: t) {
            guard case let .downstream(target, failure, ratio, type, perMessage) = fault.kind, target == name else { continue }
            if ratio >= 1 { return (failure, type) }
            if perMessage {
                var mixer = SplitMix64(seed: faultStream[i] ^ UInt64(key))
                if unit(&mixer) < ratio { return (failure, type) }
            } else if unit(&rng) < ratio {
                return (failure, type)
            }
        }
        return nil
    }

    /// The processing time an active slow fault imposes on this record, if any (and uses up
    /// one of its `count`).
    func slowProcessing(worker w: Int, key: Int) -> Int64? {
        let name = drill.workers[w].name
        let t = TimeSpan(millis: now)
        for (i, fault) in drill.faults.enumerated() where fault.isActive(at: t) {
            guard case let .slow(target, processing, tenant, count) = fault.kind, target == name else { continue }
            if let tenant, tenant != "t\(ledger[key].tenant)" { continue }
            if count != nil {
                guard let left = slowLeft[i], left > 0 else { continue }
                slowLeft[i] = left - 1
            }
            return processing.millis
        }
        return nil
    }
}
