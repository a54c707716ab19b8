import Foundation
import SluiceCore
import SluiceStore

/// `corrupt`: truncate and bit-flip a store file and its WAL at many offsets, then run the real
/// `sluice status --json` on each damaged copy. It must refuse with a clear message (exit 2) or
/// answer with numbers that were really written — never crash, never exit 1 with an internal
/// error, never print numbers no committed state had.
///
/// Two pristine copies are made: a checkpointed file alone (one correct answer: the last
/// state), and a file plus a WAL holding later commits (any committed prefix is correct when the
/// WAL is damaged: SQLite drops a WAL's tail at the first bad frame, as after a power cut).
public struct CorruptionHarness: Sendable {
    /// Damaged copies per kind of damage (truncation, bit flip) and per file (beside a fixed set of
    /// interesting offsets: headers and page boundaries).
    public var casesPerKind: Int
    /// Seeds the offsets.
    public var seed: UInt64
    /// Whether to flip bits inside the queue rows too (see ``run()``): SQLite keeps no page
    /// checksums, so such flips can change a counter without any error.
    public var includeRowFlips = true
    /// Progress lines go here.
    public var log: @Sendable (String) -> Void

    /// Creates a harness.
    public init(casesPerKind: Int = 60, seed: UInt64 = 20261123, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.casesPerKind = casesPerKind
        self.seed = seed
        self.log = log
    }

    /// What one queue held in a committed state, as `sluice status --json` shows it.
    struct QueueNumbers: Hashable, CustomStringConvertible {
        var visible: Int
        var sent: Int
        var deleted: Int
        var description: String { "\(visible) visible (\(sent) sent, \(deleted) deleted)" }
    }
    typealias State = [String: QueueNumbers]

    /// Runs every case and returns the report.
    public func run() -> HarnessReport {
        var report = HarnessReport(name: "corrupt")
        let dir = NSTemporaryDirectory() + "sluice-corrupt-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let (states, checkpointed, withWAL) = try makePristine(dir)
            var rng = SplitMix64(seed: seed)
            var outcomes: [String: Int] = [:]

            // 1. The checkpointed file alone: only the last state is right.
            let main = try Data(contentsOf: URL(fileURLWithPath: checkpointed))
            for damage in damages(size: main.count, pageSize: 4096, rng: &rng) {
                let outcome = try trial(dir, label: "checkpointed file, \(damage)", main: damage.apply(main), wal: nil, accept: [states.last!], into: &report)
                outcomes["store file: \(outcome)", default: 0] += 1
            }
            // 1b. Bit flips right around the queue rows (name and counters share a record): these
            // change numbers rather than structure, the hardest damage to notice.
            if includeRowFlips {
                for damage in rowDamages(main) {
                    let outcome = try trial(dir, label: "checkpointed file, queue row, \(damage)", main: damage.apply(main), wal: nil, accept: [states.last!], into: &report)
                    outcomes["store file, queue rows: \(outcome)", default: 0] += 1
                }
            }
            // 2. The WAL damaged, the file intact: any committed prefix is right.
            let walMain = try Data(contentsOf: URL(fileURLWithPath: withWAL))
            let wal = try Data(contentsOf: URL(fileURLWithPath: withWAL + "-wal"))
            for damage in damages(size: wal.count, pageSize: 4096 + 24, headerSize: 32, rng: &rng) {
                let outcome = try trial(dir, label: "WAL, \(damage)", main: walMain, wal: damage.apply(wal), accept: states, into: &report)
                outcomes["WAL: \(outcome)", default: 0] += 1
            }
            // 3. The file damaged under an intact WAL: the last state is right.
            for damage in damages(size: walMain.count, pageSize: 4096, rng: &rng).filter({ !$0.isTruncation }) {
                let outcome = try trial(dir, label: "file under a WAL, \(damage)", main: damage.apply(walMain), wal: wal, accept: [states.last!], into: &report)
                outcomes["store file under a WAL: \(outcome)", default: 0] += 1
            }
            report.figure("store file size", "\(main.count) bytes checkpointed; \(walMain.count) + WAL \(wal.count) bytes")
            for (k, v) in outcomes.sorted(by: { $0.key < $1.key }) { report.figure(k, v) }
        } catch {
            report.fail("setting up: \(error)")
        }
        return report
    }

    /// Flips of each byte within 48 bytes before each queue name in a table row of `data`.
    func rowDamages(_ data: Data) -> [Damage] {
        var out: [Damage] = []
        let bytes = [UInt8](data)
        for name in ["alpha", "beta", "gamma"] {
            let needle = Array(name.utf8)
            var i = 0
            while i + needle.count <= bytes.count {
                if Array(bytes[i..<(i + needle.count)]) == needle {
                    for offset in max(0, i - 48)..<i { out.append(Damage(offset: offset, mask: 0x01)) }
                    break
                }
                i += 1
            }
        }
        return out
    }

    /// One kind of damage at one offset.
    struct Damage: CustomStringConvertible {
        var offset: Int
        /// nil: truncate at `offset`; else xor this mask into the byte there.
        var mask: UInt8?
        var isTruncation: Bool { mask == nil }
        var description: String { mask.map { "bit flip 0x\(String($0, radix: 16)) at \(offset)" } ?? "truncated to \(offset) bytes" }

        func apply(_ data: Data) -> Data {
            guard let mask else { return data.prefix(offset) }
            var copy = data
            if offset < copy.count { copy[copy.startIndex + offset] ^= mask }
            return copy
        }
    }

    /// Headers, page boundaries and the middle of pages, then random offsets.
    func damages(size: Int, pageSize: Int, headerSize: Int = 100, rng: inout SplitMix64) -> [Damage] {
        var cuts: Set<Int> = [0, 1, 16, headerSize - 1, headerSize, size / 2, size - 1]
        var p = pageSize
        while p < size { cuts.insert(p); cuts.insert(p - 1); cuts.insert(p + pageSize / 2); p += pageSize }
        var out = cuts.filter { $0 >= 0 && $0 < size }.sorted().prefix(casesPerKind).map { Damage(offset: $0, mask: nil) }
        for _ in 0..<casesPerKind { out.append(Damage(offset: Int(rng.next() % UInt64(size)), mask: nil)) }
        // Header bytes matter most: flip each of the first ones, then random bytes.
        for offset in stride(from: 0, to: min(headerSize, size), by: 7) { out.append(Damage(offset: offset, mask: 1 << UInt8(offset % 8))) }
        for _ in 0..<(casesPerKind * 2) { out.append(Damage(offset: Int(rng.next() % UInt64(size)), mask: 1 << UInt8(rng.next() % 8))) }
        return out
    }

    /// Writes one damaged copy, runs `sluice status --json` on it and judges the answer.
    func trial(_ dir: String, label: String, main: Data, wal: Data?, accept: [State], into report: inout HarnessReport) throws -> String {
        let caseDir = dir + "/case-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: caseDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: caseDir) }
        let path = caseDir + "/store.sluice"
        try main.write(to: URL(fileURLWithPath: path))
        if let wal { try wal.write(to: URL(fileURLWithPath: path + "-wal")) }
        let r = try SluiceRun.run(["status", "--json", "--store", path], timeout: 30)
        if r.signalled {
            report.fail("\(label): sluice status crashed (signal \(r.status)): \(r.stderr.suffix(300))")
            return "crashed"
        }
        switch r.status {
        case 0:
            guard let state = Self.parseStatus(r.stdout) else {
                report.fail("\(label): exit 0 but the JSON is unreadable: \(r.stdout.prefix(300))")
                return "unreadable output"
            }
            if accept.contains(state) {
                report.check(true, "")
                return "worked, numbers right"
            }
            let shown = state.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let expected = accept.count == 1 ? accept[0].sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") : "any of \(accept.count) committed states"
            report.fail("\(label): exit 0 with numbers no committed state had: \(shown) — expected \(expected)")
            return "SILENTLY WRONG"
        case 2:
            let message = r.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            report.check(message.contains(path) || message.contains("store"), "\(label): exit 2 without naming the store: \(message.prefix(300))")
            return "refused (exit 2)"
        default:
            report.fail("\(label): exit \(r.status) instead of a refusal (exit 2): \(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).suffix(300))")
            return "exit \(r.status)"
        }
    }

    static func parseStatus(_ text: String) -> State? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let queues = object["queues"] as? [[String: Any]] else { return nil }
        var state: State = [:]
        for q in queues {
            guard let name = q["name"] as? String, let visible = q["visible"] as? Int else { return nil }
            let counters = q["counters"] as? [String: Any]
            state[name] = QueueNumbers(visible: visible, sent: counters?["sent"] as? Int ?? -1, deleted: counters?["deleted"] as? Int ?? -1)
        }
        return state
    }

    /// Builds the two pristine stores and the list of committed states, oldest first
    /// (the first is what the WAL copy's main file holds on its own).
    func makePristine(_ dir: String) throws -> (states: [State], checkpointed: String, withWAL: String) {
        let path = dir + "/pristine.sluice"
        var model: State = [:]
        // Every commit's state, once recording starts: a damaged WAL may end after any of them.
        var states: [State] = []
        var recording = false
        func committed() { if recording { states.append(model) } }
        func send(_ store: Store, _ queue: String, _ n: Int, _ tag: String) throws {
            var left = n
            while left > 0 {
                let k = min(10, left)
                let results = try store.send(to: queue, entries: (0..<k).map { SendEntry(entryId: "\($0)", body: Array("{\"tag\":\"\(tag)\",\"i\":\(left - $0),\"pad\":\"\(String(repeating: "x", count: 120))\"}".utf8)) })
                guard results.allSatisfy(\.succeeded) else { throw SluiceError(.internalError, "seeding send failed") }
                model[queue, default: QueueNumbers(visible: 0, sent: 0, deleted: 0)].visible += k
                model[queue]!.sent += k
                committed()
                left -= k
            }
        }
        func consume(_ store: Store, _ queue: String, _ n: Int) throws {
            let got = try store.receive(from: queue, max: n, visibility: .hours(1))
            model[queue]!.visible -= got.count
            committed()
            let deleted = try store.delete(from: queue, receipts: got.map { $0.receiptHandle! }).filter(\.succeeded).count
            model[queue]!.deleted += deleted
            committed()
        }
        do {
            let store = try Store(path: path)
            for name in ["alpha", "beta", "gamma"] {
                _ = try store.createQueue(QueueSpec(name: name))
                model[name] = QueueNumbers(visible: 0, sent: 0, deleted: 0)
            }
            try send(store, "alpha", 300, "a")
            try send(store, "beta", 120, "b")
            try consume(store, "beta", 10)
        }
        // Closing the last connection folded the WAL into the file: the first recorded state.
        states = [model]
        recording = true
        let withWAL = dir + "/with-wal.sluice"
        do {
            let store = try Store(path: path)
            for step in 0..<8 {
                if step % 3 == 2 { try consume(store, "alpha", 7) } else { try send(store, ["alpha", "gamma"][step % 2], 10 + step, "s\(step)") }
            }
            // Copied while open: the file still holds the first state, the WAL every later commit.
            try FileManager.default.copyItem(atPath: path, toPath: withWAL)
            try FileManager.default.copyItem(atPath: path + "-wal", toPath: withWAL + "-wal")
        }
        let checkpointed = dir + "/checkpointed.sluice"
        try FileManager.default.copyItem(atPath: path, toPath: checkpointed)
        let leftover = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        guard leftover == 0 else {
            throw SluiceError(.internalError, "the pristine store kept a WAL after closing; the harness needs a checkpointed file")
        }
        return (states, checkpointed, withWAL)
    }
}
