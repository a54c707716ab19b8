/// A point in time, in whole milliseconds since the Unix epoch, as SQS reports `SentTimestamp`.
///
/// Sluice never reads the system time directly: every timestamp comes from an injected
/// ``SluiceClock`` so tests and drills run on virtual time.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millis: Int64

    /// Creates a timestamp from milliseconds since the epoch.
    public init(millis: Int64) { self.millis = millis }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.millis < rhs.millis }

    public static func + (lhs: Timestamp, rhs: TimeSpan) -> Timestamp { Timestamp(millis: lhs.millis + rhs.millis) }
    public static func - (lhs: Timestamp, rhs: TimeSpan) -> Timestamp { Timestamp(millis: lhs.millis - rhs.millis) }
    public static func - (lhs: Timestamp, rhs: Timestamp) -> TimeSpan { TimeSpan(millis: lhs.millis - rhs.millis) }

    public init(from decoder: any Decoder) throws {
        millis = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(millis)
    }

    /// ISO 8601 in UTC with milliseconds, e.g. `2026-11-23T08:58:15.120Z`.
    public var iso8601: String {
        let (days, msOfDay) = millis.floorDivided(by: 86_400_000)
        let (y, m, d) = Timestamp.civil(fromDays: days)
        let h = msOfDay / 3_600_000, mi = msOfDay / 60_000 % 60, s = msOfDay / 1000 % 60, ms = msOfDay % 1000
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
    }

    public var description: String { iso8601 }

    /// Days since the epoch to a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

private func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

extension Int64 {
    /// Floor division and the matching non-negative remainder.
    func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var q = self / divisor
        var r = self % divisor
        if r < 0 { q -= 1; r += divisor }
        return (q, r)
    }
}
