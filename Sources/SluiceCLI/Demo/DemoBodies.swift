import SluiceCore

/// What the demo's producers send: bodies shaped like the samples in `shared/samples` (orders,
/// payment commands, SNS envelopes), some of them poison or bound for a slow downstream.
enum DemoBodies {
    /// A failure the demo's workers give a message, with the error message a real worker logs.
    struct Failure: Sendable, Hashable {
        var type: String
        var message: String
    }

    static let timeout = Failure(type: "Timeout", message: "Task timed out after 30.00 seconds")
    static let throttled = Failure(type: "Throttled", message: "ThrottlingException: Rate exceeded (partner-api, 50 req/s)")
    static let validation = Failure(type: "ValidationError", message: "amount.value: expected a decimal string, got null")
    static let schema = Failure(type: "SchemaMismatch", message: "items: expected an array, got an object (schema orders/v3)")
    static let undecodable = Failure(type: "SchemaMismatch", message: "cannot decode body as JSON: invalid UTF-8 at byte 0 (content-type application/x-protobuf)")

    static func pick<T>(_ items: [T], _ rng: inout SplitMix64) -> T { items[Int(rng.next() % UInt64(items.count))] }
    static func chance(_ p: Double, _ rng: inout SplitMix64) -> Bool { Double(rng.next() % 1_000_000) / 1_000_000 < p }
    static func hex(_ rng: inout SplitMix64, _ n: Int) -> String {
        String((0..<n).map { _ in "0123456789abcdef".randomCharacter(&rng) })
    }

    /// An order event; about 3% poison (null amount, items as an object), 3% for warehouse
    /// WH-7 whose stock service times out, 1% from the rate-limited partner channel.
    static func order(_ n: Int, _ rng: inout SplitMix64) -> SendEntry {
        let id = "ord-20261123-\(String(n % 100_000).zeroPadded(5))"
        let customer = "cus-\(1000 + Int(rng.next() % 9000))"
        let cents = 500 + Int(rng.next() % 40_000)
        var amount = "{\"currency\":\"EUR\",\"value\":\"\(cents / 100).\(String(cents % 100).zeroPadded(2))\"}"
        var items = "[{\"sku\":\"\(pick(["BK-0042", "BK-1187", "MG-0007", "TS-0311", "CF-0099"], &rng))\",\"qty\":\(1 + Int(rng.next() % 4))}]"
        var warehouse = pick(["WH-1", "WH-2", "WH-3", "WH-4"], &rng)
        var channel = pick(["web", "ios", "android"], &rng)
        let roll = rng.next() % 1000
        if roll < 20 { amount = "{\"currency\":\"EUR\",\"value\":null}" }
        else if roll < 30 { items = "{\"sku\":\"BK-0042\",\"qty\":1}" }
        else if roll < 60 { warehouse = "WH-7" }
        else if roll < 70 { channel = "partner-api" }
        let body = "{\"orderId\":\"\(id)\",\"customerId\":\"\(customer)\",\"amount\":\(amount),\"items\":\(items),\"warehouse\":\"\(warehouse)\",\"channel\":\"\(channel)\",\"idempotencyKey\":\"\(hex(&rng, 16))\"}"
        return SendEntry(entryId: "0", body: Array(body.utf8), attributes: [
            "traceparent": .string("00-\(hex(&rng, 32))-\(hex(&rng, 16))-01"),
            "contentType": .string("application/json"),
        ])
    }

    /// A payment command; 1% protobuf bodies a JSON worker cannot read, 1.5% null amounts.
    static func payment(_ n: Int, _ rng: inout SplitMix64) -> SendEntry {
        let roll = rng.next() % 1000
        if roll < 10 {
            var bytes: [UInt8] = [0xFF, 0xFE, 0xFD, 0x00]
            bytes += Array("pay-\(70_000 + n)".utf8) + [0x00, 0xFF, 0x80, 0xDE, 0xAD, 0xBE, 0xEF]
            for _ in 0..<24 { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
            return SendEntry(entryId: "0", body: bytes, attributes: ["contentType": .string("application/x-protobuf")])
        }
        let action = pick(["capture", "capture", "authorize", "refund"], &rng)
        let value = roll < 25 ? "null" : "\"\(5 + rng.next() % 400).\(String(rng.next() % 100).zeroPadded(2))\""
        let route = roll < 55 ? "partner-api" : pick(["stripe", "adyen"], &rng)
        let body = "{\"paymentId\":\"pay-\(70_000 + n)\",\"orderId\":\"ord-20261123-\(String(Int(rng.next() % 100_000)).zeroPadded(5))\",\"action\":\"\(action)\",\"amount\":{\"currency\":\"EUR\",\"value\":\(value)},\"route\":\"\(route)\"}"
        return SendEntry(entryId: "0", body: Array(body.utf8), attributes: ["contentType": .string("application/json")])
    }

    /// An SNS notification envelope with a user event inside, as SNS delivers through SQS.
    static func notification(_ n: Int, _ rng: inout SplitMix64) -> SendEntry {
        let inner = "{\\\"userId\\\":\\\"u-\(4000 + n % 6000)\\\",\\\"event\\\":\\\"\(pick(["UserCreated", "EmailChanged", "PasswordReset"], &rng))\\\"}"
        let body = "{\"Type\":\"Notification\",\"MessageId\":\"\(hex(&rng, 8))-\(hex(&rng, 4))-\(hex(&rng, 4))-\(hex(&rng, 4))-\(hex(&rng, 12))\",\"TopicArn\":\"arn:aws:sns:eu-west-1:111122223333:user-events\",\"Message\":\"\(inner)\",\"Timestamp\":\"2026-11-23T07:00:01.000Z\",\"SignatureVersion\":\"1\"}"
        return SendEntry(entryId: "0", body: Array(body.utf8))
    }

    /// What a worker of `queue` makes of a body: nil for success, else why it fails.
    /// - Parameter outage: whether the payment provider is down (every payment times out).
    static func verdict(queue: String, body: [UInt8], outage: Bool) -> Failure? {
        guard SafeUTF8.isValid(body) else { return undecodable }
        let text = String(decoding: body, as: UTF8.self)
        if text.contains("\"value\":null") { return validation }
        if text.contains("\"items\":{") { return schema }
        if text.contains("\"warehouse\":\"WH-7\"") { return timeout }
        if text.contains("partner-api") { return throttled }
        if queue == "payments" && outage { return timeout }
        return nil
    }
}

/// UTF-8 validation without Foundation's lossy decoding.
enum SafeUTF8 {
    static func isValid(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}

private extension String {
    func zeroPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }

    func randomCharacter(_ rng: inout SplitMix64) -> Character {
        let chars = Array(self)
        return chars[Int(rng.next() % UInt64(chars.count))]
    }
}
