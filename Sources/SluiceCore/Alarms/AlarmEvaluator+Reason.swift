/// CloudWatch-style reason text, e.g. `Threshold Crossed: 3 out of the last 5 datapoints
/// [12.0 (23/11/26 09:10:00), …] were greater than the threshold (0.0) (minimum 3 datapoints for
/// OK -> ALARM transition).` Datapoints are listed newest first, labelled by period start in UTC.
struct ReasonText {
    let definition: AlarmDefinition
    let from: AlarmState

    /// Datapoints listed in one reason at most; CloudWatch's reasons stay short too.
    static let maxListed = 10

    func crossed(_ points: [MetricDatapoint], breaching: Bool, filled: Int = 0, as treatment: TreatMissingData = .missing, missing: Int = 0) -> String {
        let n = definition.evaluationPeriods
        let count = points.count
        var out = "Threshold Crossed: "
        if count == 0 {
            out += "no datapoints were received for \(plural(filled, "period"))"
        } else {
            out += n == 1 ? "1 datapoint " : "\(count) out of the last \(n) datapoints "
            let listed = points.reversed().prefix(ReasonText.maxListed).map { "\(AlarmDefinition.format($0.value ?? 0)) (\($0.start.cloudWatchLabel))" }
            out += "[" + listed.joined(separator: ", ") + (count > ReasonText.maxListed ? ", ..." : "") + "] "
            out += count == 1 ? "was " : "were "
            out += breaching ? "" : "not "
            out += "\(definition.comparison.phrase) the threshold (\(AlarmDefinition.format(definition.threshold)))"
        }
        if filled > 0 {
            out += " and \(plural(filled, "missing datapoint")) \(filled == 1 ? "was" : "were") treated as [\(treatment == .breaching ? "Breaching" : "NonBreaching")]"
        }
        if missing > 0 {
            out += "; the \(plural(missing, "newer period")) without data did not clear it"
        }
        let needed = breaching ? definition.datapointsToAlarm : n - definition.datapointsToAlarm + 1
        out += " (minimum \(plural(needed, "datapoint")) for \(from.rawValue) -> \(breaching ? "ALARM" : "OK") transition)."
        return out
    }

    func allMissing(as treatment: TreatMissingData) -> String {
        crossed([], breaching: treatment == .breaching, filled: definition.evaluationPeriods, as: treatment)
    }

    func insufficient() -> String {
        "Insufficient Data: \(plural(definition.evaluationPeriods, "datapoint")) \(definition.evaluationPeriods == 1 ? "was" : "were") unknown."
    }

    private func plural(_ n: Int, _ word: String) -> String { n == 1 ? "1 \(word)" : "\(n) \(word)s" }
}

extension Timestamp {
    /// `dd/MM/yy HH:mm:ss` in UTC, as CloudWatch labels datapoints in alarm reasons.
    var cloudWatchLabel: String {
        let (days, msOfDay) = millis.floorDivided(by: 86_400_000)
        let (y, m, d) = Timestamp.civil(fromDays: days)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : String(v) }
        return "\(two(d))/\(two(m))/\(two(y % 100)) \(two(msOfDay / 3_600_000)):\(two(msOfDay / 60_000 % 60)):\(two(msOfDay / 1000 % 60))"
    }
}
