import SluiceCore

/// Message ids and receipt handles, derived from the row's sequence number instead of stored.
///
/// An id looks like an SQS message id (a UUID): 18 hex digits of a per-store prefix and 12 of
/// the sequence number. Ids therefore grow monotonically (cheap to index and to page) and name
/// their row directly. A receipt handle names the queue, the row and the receive count it was
/// issued for, so a handle from an earlier receive is recognised as stale.
struct MessageIdentity: Sendable {
    /// 18 lowercase hex digits, fixed for the life of a store.
    let prefix: String
    /// `pppppppp-pppp-4ppp-8ppp-`, computed once: ids are made on every send and every read.
    private let formattedPrefix: String

    init(prefix: String) {
        self.prefix = prefix
        let p = Array(prefix)
        formattedPrefix = "\(String(p[0..<8]))-\(String(p[8..<12]))-4\(String(p[12..<15]))-8\(String(p[15..<18]))-"
    }

    func messageId(seq: Int64) -> String {
        let s = String(seq, radix: 16)
        return s.count >= 12 ? formattedPrefix + s : formattedPrefix + String(repeating: "0", count: 12 - s.count) + s
    }

    /// The sequence number in an id of this store, or nil when the id is not one of ours.
    /// Hand-rolled over UTF-8: a redrive resolves every item's id, and splitting Strings cost
    /// more than the row lookup.
    func seq(fromMessageId id: String) -> Int64? {
        var utf8 = id.utf8[...]
        guard utf8.count == 36, utf8.starts(with: formattedPrefix.utf8) else { return nil }
        utf8 = utf8.dropFirst(24)
        var value: Int64 = 0
        for b in utf8 {
            let digit: UInt8
            switch b {
            case 48...57: digit = b - 48
            case 97...102: digit = b - 87
            case 65...70: digit = b - 55
            default: return nil
            }
            value = value << 4 | Int64(digit)
        }
        return value
    }

    func receipt(queueId: Int64, seq: Int64, receiveCount: Int) -> String {
        "rh-\(prefix.prefix(6))-\(queueId)-\(seq)-\(receiveCount)"
    }

    struct Receipt: Equatable { let queueId: Int64; let seq: Int64; let receiveCount: Int }

    func parseReceipt(_ handle: String) -> Receipt? {
        // Hand-rolled: this runs for every deleted message, and splitting Strings costs more than the delete.
        let check = prefix.utf8.prefix(6)
        var bytes = handle.utf8[...]
        guard bytes.starts(with: "rh-".utf8) else { return nil }
        bytes = bytes.dropFirst(3)
        guard bytes.starts(with: check), bytes.dropFirst(6).first == UInt8(ascii: "-") else { return nil }
        bytes = bytes.dropFirst(7)
        var numbers: [Int64] = []
        var current: Int64 = 0, digits = 0
        for b in bytes {
            if b == UInt8(ascii: "-") {
                guard digits > 0 else { return nil }
                numbers.append(current)
                current = 0
                digits = 0
            } else if b >= 48 && b <= 57, digits < 18 {
                current = current * 10 + Int64(b - 48)
                digits += 1
            } else {
                return nil
            }
        }
        guard digits > 0 else { return nil }
        numbers.append(current)
        guard numbers.count == 3 else { return nil }
        return Receipt(queueId: numbers[0], seq: numbers[1], receiveCount: Int(numbers[2]))
    }

}
