import SluiceCore

/// A compact binary form of message attributes for the `attrs` column: far cheaper than JSON
/// on the send path. Layout: count, then per attribute: name, data type, tag (0 string,
/// 1 binary), value; each string or blob as a varint length and bytes.
enum AttributeCodec {
    static func encode(_ attributes: [String: MessageAttribute]) -> [UInt8]? {
        guard !attributes.isEmpty else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(64)
        writeVarint(UInt64(attributes.count), to: &out)
        for key in attributes.keys.sorted() {
            let value = attributes[key]!
            writeBytes(Array(key.utf8), to: &out)
            writeBytes(Array(value.dataType.utf8), to: &out)
            if let binary = value.binaryValue {
                out.append(1)
                writeBytes(binary, to: &out)
            } else {
                out.append(0)
                writeBytes(Array((value.stringValue ?? "").utf8), to: &out)
            }
        }
        return out
    }

    static func decode(_ bytes: [UInt8]?) -> [String: MessageAttribute] {
        guard let bytes, !bytes.isEmpty else { return [:] }
        var reader = Reader(bytes: bytes)
        guard let count = reader.varint() else { return [:] }
        var result: [String: MessageAttribute] = [:]
        for _ in 0..<count {
            guard let key = reader.chunk(), let type = reader.chunk(), let tag = reader.byte(), let value = reader.chunk() else { break }
            let name = String(decoding: key, as: UTF8.self)
            let dataType = String(decoding: type, as: UTF8.self)
            result[name] = tag == 1
                ? MessageAttribute(dataType: dataType, binaryValue: value)
                : MessageAttribute(dataType: dataType, stringValue: String(decoding: value, as: UTF8.self))
        }
        return result
    }

    private static func writeVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    private static func writeBytes(_ bytes: [UInt8], to out: inout [UInt8]) {
        writeVarint(UInt64(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }

    private struct Reader {
        let bytes: [UInt8]
        var i = 0
        mutating func byte() -> UInt8? {
            guard i < bytes.count else { return nil }
            defer { i += 1 }
            return bytes[i]
        }
        mutating func varint() -> UInt64? {
            var result: UInt64 = 0, shift: UInt64 = 0
            while let b = byte() {
                result |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return result }
                shift += 7
                if shift > 63 { return nil }
            }
            return nil
        }
        mutating func chunk() -> [UInt8]? {
            guard let n = varint(), n <= UInt64(bytes.count - i) else { return nil }
            defer { i += Int(n) }
            return Array(bytes[i..<i + Int(n)])
        }
    }
}
