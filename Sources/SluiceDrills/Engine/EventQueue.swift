/// The drill's agenda: events ordered by time, then by kind (so simultaneous events happen in a
/// fixed order), then by when they were scheduled. A binary heap; no allocation per event beyond
/// the array's growth.
struct EventQueue {
    /// What happens. Raw values order simultaneous events: faults change the world first, the
    /// monitor samples last so it sees everything that happened at that instant.
    enum Phase: UInt8 {
        case fault = 0, release, operatorStep, produce, record, timeout, poll, sample
    }

    enum Event {
        case faultStarts(Int)
        case faultEnds(Int)
        /// Failure verdicts recorded when the records' visibility timeout runs out.
        case release(queue: Int, items: [Release])
        /// Messages become visible again on their own (a crashed or overrunning invocation's).
        case visible(queue: Int, count: Int)
        case operatorStep(Int)
        case produce(producer: Int)
        case recordStarts(invocation: Int)
        case recordEnds(invocation: Int)
        case timeout(invocation: Int)
        case poll(poller: Int, generation: Int)
        case sample
    }

    struct Release {
        var receipt: String
        var errorType: String
        var message: String
    }

    private struct Entry {
        var time: Int64
        var phase: UInt8
        var order: Int
        var event: Event

        func precedes(_ other: Entry) -> Bool {
            if time != other.time { return time < other.time }
            if phase != other.phase { return phase < other.phase }
            return order < other.order
        }
    }

    private var heap: [Entry] = []
    private var scheduled = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    /// When the next event happens.
    var nextTime: Int64? { heap.first?.time }

    mutating func schedule(at time: Int64, _ phase: Phase, _ event: Event) {
        heap.append(Entry(time: time, phase: phase.rawValue, order: scheduled, event: event))
        scheduled += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (time: Int64, event: Event)? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var best = parent
                if left < heap.count, heap[left].precedes(heap[best]) { best = left }
                if right < heap.count, heap[right].precedes(heap[best]) { best = right }
                if best == parent { break }
                heap.swapAt(parent, best)
                parent = best
            }
        }
        return (top.time, top.event)
    }
}
