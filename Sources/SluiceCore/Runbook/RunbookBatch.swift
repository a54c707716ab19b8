/// How a runbook paces a redrive: batch size, the jittered pause between batches, a rate cap
/// and a cap on the number of messages.
public struct RunbookBatch: Sendable, Hashable, Codable {
    /// The hard ceiling on batch size, whatever a runbook or operator asks for.
    public static let maxSize = 100
    /// The highest `max_rate` a runbook may declare, in messages per second.
    public static let maxRatePerSecond: Double = 10_000
    /// The lowest positive `max_rate`, one message an hour, in messages per second: a vanishing
    /// rate would overflow the plan's duration estimate and the pacer's gap (Double → Int64).
    public static let minRatePerSecond: Double = 1.0 / 3600
    /// The longest `retry_delay`: SQS's maximum delivery delay.
    public static let maxRetryDelay = TimeSpan.minutes(15)

    /// Messages per batch, 1...``maxSize``.
    public var size: Int
    /// The random pause between two batches, drawn uniformly from this range.
    public var jitter: ClosedRange<TimeSpan>
    /// The most messages moved per second, averaged over the run.
    public var maxRate: Double
    /// The most messages one run handles; nil for no limit.
    public var maxMessages: Int?

    /// Creates batch settings; `size` is clamped to 1...``maxSize``.
    public init(
        size: Int = 10,
        jitter: ClosedRange<TimeSpan> = TimeSpan.milliseconds(200)...TimeSpan.seconds(2),
        maxRate: Double = 10,
        maxMessages: Int? = nil
    ) {
        self.size = min(max(size, 1), RunbookBatch.maxSize)
        self.jitter = jitter
        self.maxRate = maxRate
        self.maxMessages = maxMessages
    }

    /// The defaults used for every key a runbook leaves out: 10 per batch, 200ms..2s, 10/s, no cap.
    public static let defaults = RunbookBatch()

    /// Parses a rate as runbooks write it: `20/s`, `600/m`, `5/h`, or a bare number (per second).
    ///
    /// - Returns: messages per second.
    /// - Throws: ``SluiceError`` (bad input) naming the text and the accepted forms.
    public static func parseRate(_ text: String) throws -> Double {
        let trimmed = text.trimmingSpaces()
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let number = parts[0].trimmingSpaces()
        let unit = parts.count > 1 ? parts[1].trimmingSpaces() : "s"
        let perUnit: Double
        switch unit {
        case "s": perUnit = 1
        case "m": perUnit = 60
        case "h": perUnit = 3600
        default:
            throw SluiceError.badInput("'\(text)' is not a rate: unknown unit '/\(unit)'", fix: rateForms)
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(number), value.isFinite
        else {
            throw SluiceError.badInput("'\(text)' is not a rate", fix: rateForms)
        }
        return value / perUnit
    }

    private static let rateForms = "write messages per unit of time: 20/s, 600/m, 5/h, or a bare number per second"

    /// A rate in the unit that reads best: `20/s`, `30/m`, `5/h`, `0.5/s`.
    public static func formatRate(_ perSecond: Double) -> String {
        for (unit, factor) in [("s", 1.0), ("m", 60.0), ("h", 3600.0)] {
            let value = perSecond * factor
            if value >= 1, abs(value - value.rounded()) < 1e-9 { return "\(Int(value.rounded()))/\(unit)" }
        }
        return "\(formatNumber(perSecond))/s"
    }
}

/// A number with at most three decimals and no trailing zeros: `0.25`, `1312`, `0.333`.
func formatNumber(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if abs(value - value.rounded()) < 1e-9, abs(value) < 1e15 { return "\(Int64(value.rounded()))" }
    let scaled = (value * 1000).rounded() / 1000
    var text = "\(scaled)"
    if text.contains("e") { return text }
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}
