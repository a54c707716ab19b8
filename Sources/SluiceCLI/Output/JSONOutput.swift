import Foundation
import SluiceCore

/// Stable JSON shapes for `--json` output: sorted keys, ISO times next to epoch milliseconds.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func print<T: Encodable>(_ value: T) {
        Swift.print(encode(value))
    }
}

/// A message as `--json` shows it: the body as text when it is UTF-8, else base64.
struct MessageJSON: Encodable {
    let id: String
    let queue: String
    let body: String
    let bodyEncoding: String
    let bodyBytes: Int
    let attributes: [String: AttributeJSON]
    let sentTimestamp: Int64
    let sentAt: String
    let ageMs: Int64
    let receiveCount: Int
    let firstReceiveTimestamp: Int64?
    let deadLetteredTimestamp: Int64?
    let errorType: String?
    let errorMessage: String?
    let groupId: String?
    let receiptHandle: String?
    let lineage: Lineage?

    struct AttributeJSON: Encodable {
        let dataType: String
        let stringValue: String?
        let binaryValue: String?
    }

    init(_ m: QueueMessage, now: Timestamp) {
        id = m.id
        queue = m.queue
        if let text = String(validating: m.body, as: UTF8.self) {
            body = text
            bodyEncoding = "utf8"
        } else {
            body = Data(m.body).base64EncodedString()
            bodyEncoding = "base64"
        }
        bodyBytes = m.body.count
        attributes = m.attributes.mapValues {
            AttributeJSON(dataType: $0.dataType, stringValue: $0.stringValue, binaryValue: $0.binaryValue.map { Data($0).base64EncodedString() })
        }
        sentTimestamp = m.sentAt.millis
        sentAt = m.sentAt.iso8601
        ageMs = (now - m.sentAt).millis
        receiveCount = m.receiveCount
        firstReceiveTimestamp = m.firstReceivedAt?.millis
        deadLetteredTimestamp = m.deadLetteredAt?.millis
        errorType = m.errorType
        errorMessage = m.errorMessage
        groupId = m.groupId
        receiptHandle = m.receiptHandle
        lineage = m.lineage
    }
}

/// A queue's numbers as `status --json` shows them.
struct QueueStatusJSON: Encodable {
    let name: String
    let visible: Int
    let inFlight: Int
    let delayed: Int
    let depth: Int
    let oldestAgeMs: Int64?
    let oldestAgeFromScan: Bool
    let deadLetterQueue: String?
    let maxReceiveCount: Int?
    let deadLetterSources: [String]
    let counters: QueueCounters?
}
