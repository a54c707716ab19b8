/// The drill's ground truth about every message it created, indexed by key number: who made it,
/// when, whether it is poison, how many side effects it caused and whether a redrive discarded it.
///
/// Plain arrays of small values, so a million messages cost tens of megabytes at most.
struct MessageLedger {
    struct Record {
        /// Drill-relative milliseconds of the first send.
        var producedAt: Int64
        var tenant: Int32
        /// Index into ``poisonTypes``; -1 for a processable message.
        var poison: Int16
        /// Index of the queue it was first sent to.
        var queue: Int16
        var effects: Int32 = 0
        var discarded = false
    }

    private(set) var records: [Record] = []
    private(set) var poisonTypes: [String] = []

    var count: Int { records.count }

    /// Adds a message; returns its key number.
    mutating func add(producedAt: Int64, tenant: Int, poisonType: String?, queue: Int) -> Int {
        var poison: Int16 = -1
        if let poisonType {
            if let index = poisonTypes.firstIndex(of: poisonType) { poison = Int16(index) } else {
                poisonTypes.append(poisonType)
                poison = Int16(poisonTypes.count - 1)
            }
        }
        records.append(Record(producedAt: producedAt, tenant: Int32(tenant), poison: poison, queue: Int16(queue)))
        return records.count - 1
    }

    subscript(key: Int) -> Record { records[key] }

    func poisonType(of key: Int) -> String? {
        let p = records[key].poison
        return p < 0 ? nil : poisonTypes[Int(p)]
    }

    /// Records a side effect; returns how many the message has caused now.
    mutating func applyEffect(_ key: Int) -> Int32 {
        records[key].effects += 1
        return records[key].effects
    }

    mutating func markDiscarded(_ key: Int) { records[key].discarded = true }

    /// The idempotency key and body key of a message: `m42`.
    static func keyName(_ key: Int) -> String { "m\(key)" }

    /// The body a message carries: `{"key":"m42","tenant":"t3","kind":"ok"}`. Built by hand:
    /// the drill makes tens of thousands of these a minute.
    static func body(key: Int, tenant: Int, poisonType: String?) -> [UInt8] {
        let kind = poisonType.map { "poison\",\"error\":\"\($0)" } ?? "ok"
        return Array("{\"key\":\"m\(key)\",\"tenant\":\"t\(tenant)\",\"kind\":\"\(kind)\"}".utf8)
    }

    /// The key number in a body made by ``body(key:tenant:poisonType:)``; nil for foreign bodies.
    static func key(inBody body: [UInt8]) -> Int? {
        let prefix = Array("{\"key\":\"m".utf8)
        guard body.count > prefix.count, body.starts(with: prefix) else { return nil }
        var value = 0
        var index = prefix.count
        while index < body.count, body[index] >= 48, body[index] <= 57 {
            value = value * 10 + Int(body[index] - 48)
            index += 1
        }
        return index > prefix.count && index < body.count && body[index] == 34 ? value : nil
    }
}
