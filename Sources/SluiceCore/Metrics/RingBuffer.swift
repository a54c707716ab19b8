/// A fixed-capacity buffer that keeps the newest elements: appending to a full buffer drops the
/// oldest. Indexes run from the oldest (0) to the newest (`count - 1`).
///
/// The monitor keeps one per queue, so memory stays bounded however long the console runs.
public struct RingBuffer<Element: Sendable>: Sendable, RandomAccessCollection {
    private var storage: [Element] = []
    private var head = 0
    /// The most elements kept.
    public let capacity: Int

    /// Creates an empty buffer that keeps at most `capacity` (at least 1) elements.
    public init(capacity: Int) {
        self.capacity = Swift.max(1, capacity)
        storage.reserveCapacity(Swift.min(self.capacity, 4096))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }

    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < storage.count, "RingBuffer index \(position) out of range 0..<\(storage.count)")
        let physical = head + position
        return storage[physical < storage.count ? physical : physical - storage.count]
    }

    /// Appends `element`, dropping the oldest when the buffer is full.
    public mutating func append(_ element: Element) {
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[head] = element
            head = head + 1 == capacity ? 0 : head + 1
        }
    }

    /// Removes every element.
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        head = 0
    }
}
