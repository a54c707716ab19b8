import Foundation
import SluiceCore

/// Where a trace goes: a file, memory, or nowhere.
public enum TraceSink: Sendable {
    /// Written to this path (created or truncated).
    case file(String)
    /// Kept in memory; read it back with ``DrillSession/traceBytes``.
    case memory
    /// Only the digest is kept.
    case discard
}

/// Writes trace lines: one JSON object per line, keys sorted, `t` in drill milliseconds.
///
/// Lines are buffered and written in large chunks; a digest (FNV-1a, 64 bits) of every byte is
/// kept so two runs can be compared without keeping both traces.
final class TraceWriter {
    private var buffer: [UInt8] = []
    private var kept: [UInt8] = []
    private let handle: FileHandle?
    private let keep: Bool
    private(set) var digest = Digest()
    private(set) var lines = 0

    init(_ sink: TraceSink) throws {
        switch sink {
        case let .file(path):
            guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
                throw SluiceError.badInput("cannot write the trace to '\(path)'", fix: "check that the folder exists and is writable (--trace)")
            }
            handle = h
            keep = false
        case .memory:
            handle = nil
            keep = true
        case .discard:
            handle = nil
            keep = false
        }
        buffer.reserveCapacity(1 << 17)
    }

    /// Writes one line: `{"t":…,"type":…, fields…}` with every key in sorted order.
    func emit(_ t: Int64, _ type: String, _ fields: [(String, TraceValue)]) {
        var members = fields.map { (key: $0.0, value: $0.1) }
        members.append((key: "t", value: .int(t)))
        members.append((key: "type", value: .string(type)))
        members.sort { $0.key < $1.key }
        let start = buffer.count
        TraceValue.writeObject(members, to: &buffer)
        buffer.append(10)
        digest.add(buffer[start...])
        lines += 1
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        if let handle { handle.write(Data(buffer)) }
        if keep { kept.append(contentsOf: buffer) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Everything written, when the sink is memory.
    var bytes: [UInt8] {
        flush()
        return kept
    }

    func close() {
        flush()
        try? handle?.close()
    }
}

/// FNV-1a over 64 bits: a cheap, stable fingerprint for comparing runs (not for security).
public struct Digest: Sendable, Hashable {
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    public mutating func add<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01B3
        }
    }

    public mutating func add(_ text: String) { add(text.utf8) }

    /// 16 hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
