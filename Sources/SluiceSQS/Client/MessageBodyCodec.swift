import Foundation
import SluiceCore

/// How Sluice carries message bodies that SQS cannot: bytes that are not UTF-8 text, or text
/// with characters outside XML's allowed set (SQS bodies are XML-safe strings).
///
/// Such a body is sent base64-encoded with the message attribute `sluice.body-encoding =
/// base64`, and decoded back (the marker removed) when Sluice receives it. Other consumers see
/// the base64 text and the marker, and can decode it the same way. The marker takes one of
/// SQS's 10 message-attribute slots, and base64 makes the body a third larger, so a binary
/// body of more than 768 KiB cannot be sent.
public enum MessageBodyCodec {
    /// The marker attribute's name.
    public static let encodingAttribute = "sluice.body-encoding"
    /// The marker's value.
    public static let base64 = "base64"

    /// Whether SQS accepts these bytes as a body unchanged: valid UTF-8 whose every character is
    /// `#x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF`.
    public static func isSQSSafe(_ body: [UInt8]) -> Bool {
        guard let text = String(validating: body, as: UTF8.self) else { return false }
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: continue
            default: return false
            }
        }
        return true
    }

    /// The body text and attributes to send for a body.
    /// - Throws: `SluiceError.badInput` when the marker has no free attribute slot or the
    ///   encoded body exceeds the size limit.
    public static func encode(body: [UInt8], attributes: [String: MessageAttribute], queue: String) throws -> (text: String, attributes: [String: MessageAttribute]) {
        if isSQSSafe(body) {
            guard body.count <= QueueLimits.maxBodyBytes else {
                throw SluiceError.badInput("a body of \(body.count) bytes for '\(queue)' is over the 1 MiB limit", fix: "send a smaller body (store large payloads elsewhere and send a pointer)")
            }
            return (String(decoding: body, as: UTF8.self), attributes)
        }
        guard attributes.count < QueueLimits.maxAttributes || attributes[encodingAttribute] != nil else {
            throw SluiceError.badInput(
                "a binary body for '\(queue)' needs the attribute \(encodingAttribute), but the message already has \(attributes.count) attributes",
                fix: "drop one attribute (SQS allows \(QueueLimits.maxAttributes)) or send a UTF-8 body"
            )
        }
        let text = Data(body).base64EncodedString()
        guard text.utf8.count <= QueueLimits.maxBodyBytes else {
            throw SluiceError.badInput(
                "a binary body of \(body.count) bytes for '\(queue)' is \(text.utf8.count) bytes in base64, over the 1 MiB limit",
                fix: "binary bodies can be at most 768 KiB on SQS; send UTF-8 text or a smaller body"
            )
        }
        var marked = attributes
        marked[encodingAttribute] = .string(base64)
        return (text, marked)
    }

    /// The body bytes and attributes a received message stands for: base64 bodies with the
    /// marker are decoded and the marker removed; anything else is the text's UTF-8 bytes.
    public static func decode(text: String, attributes: [String: MessageAttribute]) -> (body: [UInt8], attributes: [String: MessageAttribute]) {
        guard attributes[encodingAttribute]?.stringValue == base64,
              let data = Data(base64Encoded: text)
        else { return (Array(text.utf8), attributes) }
        var rest = attributes
        rest[encodingAttribute] = nil
        return (Array(data), rest)
    }
}
