/// How a datapoint is compared with the threshold (CloudWatch's comparison operators).
public enum AlarmComparison: String, Sendable, Hashable, Codable, CaseIterable {
    case greaterThanThreshold = "GreaterThanThreshold"
    case greaterThanOrEqualToThreshold = "GreaterThanOrEqualToThreshold"
    case lessThanThreshold = "LessThanThreshold"
    case lessThanOrEqualToThreshold = "LessThanOrEqualToThreshold"

    /// Whether `value` breaches `threshold`.
    public func breaches(_ value: Double, _ threshold: Double) -> Bool {
        switch self {
        case .greaterThanThreshold: value > threshold
        case .greaterThanOrEqualToThreshold: value >= threshold
        case .lessThanThreshold: value < threshold
        case .lessThanOrEqualToThreshold: value <= threshold
        }
    }

    /// The words CloudWatch uses in reasons: `greater than`, `less than or equal to`.
    public var phrase: String {
        switch self {
        case .greaterThanThreshold: "greater than"
        case .greaterThanOrEqualToThreshold: "greater than or equal to"
        case .lessThanThreshold: "less than"
        case .lessThanOrEqualToThreshold: "less than or equal to"
        }
    }

    /// The operator symbol: `>`, `>=`, `<`, `<=`.
    public var symbol: String {
        switch self {
        case .greaterThanThreshold: ">"
        case .greaterThanOrEqualToThreshold: ">="
        case .lessThanThreshold: "<"
        case .lessThanOrEqualToThreshold: "<="
        }
    }

    /// Parses the CloudWatch names (`GreaterThanThreshold`) or the symbols (`>`, `>=`, `<`, `<=`).
    /// - Throws: ``SluiceError`` (bad input) listing both forms.
    public static func parse(_ text: String, field: String = "comparison") throws -> AlarmComparison {
        let key = text.trimmingSpaces()
        if let comparison = AlarmComparison.allCases.first(where: { $0.symbol == key || $0.rawValue.lowercased() == key.lowercased() }) {
            return comparison
        }
        throw SluiceError.badInput("\(field): '\(text)' is not a comparison",
                                   fix: "use >, >=, <, <= or GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold, LessThanOrEqualToThreshold")
    }
}

/// What an alarm does with periods that have no data (CloudWatch's `TreatMissingData`).
public enum TreatMissingData: String, Sendable, Hashable, Codable, CaseIterable {
    /// Missing periods count for nothing; all missing → `INSUFFICIENT_DATA` (the default).
    case missing
    /// Missing periods count as within the threshold.
    case notBreaching
    /// Missing periods count as breaching.
    case breaching
    /// Missing data keeps the current state.
    case ignore

    /// Parses `missing`, `notBreaching` (or `not_breaching`), `breaching`, `ignore`.
    /// - Throws: ``SluiceError`` (bad input) listing the treatments.
    public static func parse(_ text: String, field: String = "treat_missing_data") throws -> TreatMissingData {
        let key = text.alarmLookupKey
        if let treatment = TreatMissingData.allCases.first(where: { $0.rawValue.lowercased() == key }) { return treatment }
        throw SluiceError.badInput("\(field): '\(text)' is not a missing-data treatment", fix: "use missing, notBreaching, breaching or ignore")
    }
}

/// How loud an alarm is: the console colours warnings differently and guards may ignore them.
public enum AlarmSeverity: String, Sendable, Hashable, Codable, CaseIterable {
    case alarm
    case warning
}
