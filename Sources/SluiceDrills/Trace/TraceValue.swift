/// A JSON value as traces hold it, written deterministically: object keys sorted, numbers in one
/// fixed form, no whitespace. Same value, same bytes.
public enum TraceValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([TraceValue])
    case object([String: TraceValue])

    /// A list of strings.
    public static func strings(_ values: [String]) -> TraceValue { .array(values.map(TraceValue.string)) }
    /// An integer.
    public static func int(_ value: Int) -> TraceValue { .int(Int64(value)) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let i = try? container.decode(Int64.self) { self = .int(i) }
        else if let d = try? container.decode(Double.self) { self = .double(d) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let a = try? container.decode([TraceValue].self) { self = .array(a) }
        else { self = .object(try container.decode([String: TraceValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(b): try container.encode(b)
        case let .int(i): try container.encode(i)
        case let .double(d): try container.encode(d)
        case let .string(s): try container.encode(s)
        case let .array(a): try container.encode(a)
        case let .object(o): try container.encode(o)
        }
    }

    /// The value as text, if it is a string.
    public var string: String? { if case let .string(s) = self { s } else { nil } }
    /// The value as an integer, if it is one.
    public var int: Int64? { if case let .int(i) = self { i } else { nil } }
    /// The value as a number, if it is one.
    public var number: Double? {
        switch self {
        case let .int(i): Double(i)
        case let .double(d): d
        default: nil
        }
    }
    /// The elements, if it is an array.
    public var array: [TraceValue]? { if case let .array(a) = self { a } else { nil } }
    /// The members, if it is an object.
    public var object: [String: TraceValue]? { if case let .object(o) = self { o } else { nil } }

    /// Appends the canonical JSON of this value.
    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: [110, 117, 108, 108])
        case let .bool(b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case let .int(i): out.append(contentsOf: Array(String(i).utf8))
        case let .double(d):
            if d.isFinite {
                if d == d.rounded(), abs(d) < 1e15 { out.append(contentsOf: Array(String(Int64(d)).utf8)) }
                else { out.append(contentsOf: Array("\(d)".utf8)) }
            } else {
                out.append(contentsOf: [110, 117, 108, 108])
            }
        case let .string(s): TraceValue.writeString(s, to: &out)
        case let .array(a):
            out.append(91)
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(44) }
                v.write(to: &out)
            }
            out.append(93)
        case let .object(o):
            TraceValue.writeObject(o.sorted { $0.key < $1.key }, to: &out)
        }
    }

    /// Writes members already in key order.
    static func writeObject(_ members: [(key: String, value: TraceValue)], to out: inout [UInt8]) {
        out.append(123)
        for (i, m) in members.enumerated() {
            if i > 0 { out.append(44) }
            writeString(m.key, to: &out)
            out.append(58)
            m.value.write(to: &out)
        }
        out.append(125)
    }

    static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(34)
        for byte in s.utf8 {
            switch byte {
            case 34: out.append(contentsOf: [92, 34])
            case 92: out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, 110])
            case 13: out.append(contentsOf: [92, 114])
            case 9: out.append(contentsOf: [92, 116])
            case 0..<32:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(34)
    }

    /// The canonical JSON text.
    public var json: String {
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
