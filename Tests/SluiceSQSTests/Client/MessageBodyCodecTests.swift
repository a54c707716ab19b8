import Testing
import SluiceCore
@testable import SluiceSQS

@Suite("Message bodies")
struct MessageBodyCodecTests {
    @Test("UTF-8 text goes as it is", arguments: ["{\"a\":1}", "café ☃ 🚀", "tab\tnew\nline\r", ""])
    func text(_ body: String) throws {
        let (text, attributes) = try MessageBodyCodec.encode(body: Array(body.utf8), attributes: [:], queue: "q")
        #expect(text == body)
        #expect(attributes.isEmpty)
    }

    @Test("non-UTF-8 and XML-unsafe bodies go base64 with a marker, and come back as the same bytes",
          arguments: [[0xFF, 0xFE, 0x00, 0x01], [0x61, 0x00, 0x62], Array("bell\u{07}".utf8), [0xC3, 0x28]])
    func binary(_ body: [UInt8]) throws {
        let (text, attributes) = try MessageBodyCodec.encode(body: body, attributes: ["k": .string("v")], queue: "q")
        #expect(attributes[MessageBodyCodec.encodingAttribute]?.stringValue == "base64")
        #expect(MessageBodyCodec.isSQSSafe(Array(text.utf8)))
        let (decoded, rest) = MessageBodyCodec.decode(text: text, attributes: attributes)
        #expect(decoded == body)
        #expect(rest == ["k": .string("v")])
    }

    @Test("a binary body with ten attributes already has no room for the marker")
    func noRoom() {
        var attributes: [String: MessageAttribute] = [:]
        for i in 0..<10 { attributes["a\(i)"] = .string("x") }
        #expect(throws: SluiceError.self) { try MessageBodyCodec.encode(body: [0xFF], attributes: attributes, queue: "q") }
    }

    @Test("a binary body too big once in base64 is refused with the reason")
    func tooBigInBase64() {
        let body = [UInt8](repeating: 0xFF, count: 900_000)
        #expect { try MessageBodyCodec.encode(body: body, attributes: [:], queue: "orders") } throws: { error in
            (error as? SluiceError)?.message.contains("base64") == true
        }
    }
}
