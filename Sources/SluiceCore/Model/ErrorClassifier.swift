/// Decides a DLQ message's error type when no worker verdict recorded one.
///
/// In order: an explicit error-type attribute (`errorType`, `ErrorType`, `error_type`), the type
/// named at the start of an error-message attribute (`ThrottlingException: Rate exceeded`), a
/// Lambda timeout message (`Task timed out after …` → `Timeout`), a string at a JSON path in the
/// body, else `Unknown`.
public struct ErrorClassifier: Sendable, Hashable, Codable {
    /// Attributes whose value is the error type itself.
    public var typeAttributes: [String]
    /// Attributes whose value is an error message.
    public var messageAttributes: [String]
    /// Dotted path into a JSON body whose string value is the error type, e.g. `error.type`.
    public var bodyPath: [String]?

    public init(
        typeAttributes: [String] = ["errorType", "ErrorType", "error_type"],
        messageAttributes: [String] = ["ErrorMessage", "errorMessage", "error_message"],
        bodyPath: [String]? = nil
    ) {
        self.typeAttributes = typeAttributes
        self.messageAttributes = messageAttributes
        self.bodyPath = bodyPath
    }

    /// The default rules.
    public static let standard = ErrorClassifier()

    /// The error type and message this classifier reads from a message.
    public func classify(attributes: [String: MessageAttribute], body: [UInt8]) -> (type: String, message: String?) {
        let message = messageAttributes.lazy.compactMap { attributes[$0]?.stringValue }.first
        if let type = typeAttributes.lazy.compactMap({ attributes[$0]?.stringValue }).first, !type.isEmpty {
            return (ErrorClassifier.clean(type), message)
        }
        if let message, let type = ErrorClassifier.typeFromMessage(message) {
            return (type, message)
        }
        if let bodyPath, let type = JSONPathLookup.string(at: bodyPath, in: body), !type.isEmpty {
            return (ErrorClassifier.clean(type), message)
        }
        return (unknownErrorType, message)
    }

    /// `ThrottlingException: Rate exceeded` → `ThrottlingException`; `Task timed out after 3.00 seconds` → `Timeout`.
    static func typeFromMessage(_ message: String) -> String? {
        if message.hasPrefix("Task timed out") { return "Timeout" }
        guard let colon = message.firstIndex(of: ":") else { return nil }
        let head = message[..<colon]
        guard !head.isEmpty, head.count <= 64,
              head.first!.isLetter,
              head.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_") })
        else { return nil }
        return String(head)
    }

    static func clean(_ type: String) -> String {
        String(type.trimmingSpaces().prefix(64))
    }
}

/// A tiny reader for a string at a dotted path in a JSON object, without Foundation.
enum JSONPathLookup {
    static func string(at path: [String], in body: [UInt8]) -> String? {
        var parser = MiniJSON(bytes: body)
        guard let value = parser.parseValue() else { return nil }
        var current = value
        for key in path {
            guard case .object(let fields) = current, let next = fields[key] else { return nil }
            current = next
        }
        if case .string(let s) = current { return s }
        return nil
    }
}

/// Just enough JSON to follow a path: objects, arrays, strings, scalars kept as text.
struct MiniJSON {
    indirect enum Value { case object([String: Value]), array([Value]), string(String), scalar }
    let bytes: [UInt8]
    var i = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpace() { while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 } }

    mutating func parseValue() -> Value? {
        skipSpace()
        guard i < bytes.count, depth < 64 else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1; depth += 1; defer { depth -= 1 }
            var fields: [String: Value] = [:]
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
            while true {
                skipSpace()
                guard let key = parseString() else { return nil }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                guard let v = parseValue() else { return nil }
                fields[key] = v
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
                return nil
            }
        case UInt8(ascii: "["):
            i += 1; depth += 1; defer { depth -= 1 }
            var items: [Value] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                guard let v = parseValue() else { return nil }
                items.append(v)
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                return nil
            }
        case UInt8(ascii: "\""):
            return parseString().map(Value.string)
        default:
            while i < bytes.count, !",}] \n\r\t".utf8.contains(bytes[i]) { i += 1 }
            return .scalar
        }
    }

    mutating func parseString() -> String? {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if b == UInt8(ascii: "\\"), i + 1 < bytes.count {
                let e = bytes[i + 1]
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "u"):
                    // Keep \uXXXX escapes as '?': type names are ASCII in practice.
                    out.append(UInt8(ascii: "?")); i += 4
                default: out.append(e)
                }
                i += 2
                continue
            }
            out.append(b)
            i += 1
        }
        return nil
    }
}
