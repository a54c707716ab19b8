/// A horizontal progress bar with the percentage written after it: `████████░░░░  67%`.
public enum ProgressBar {
    /// A bar of exactly `width` columns for a fraction in 0...1.
    public static func render(_ fraction: Double, width: Int) -> String {
        guard width > 0 else { return "" }
        let clamped = fraction.isNaN ? 0 : min(1, max(0, fraction))
        let percent = " \(Int((clamped * 100).rounded(.down)))%".leftPadded(5)
        guard width > percent.count + 1 else { return TextLayout.fit(percent.trimmedLeft, width: width) }
        let barWidth = width - percent.count
        let filled = Int((Double(barWidth) * clamped).rounded(.down))
        return String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled) + percent
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    var trimmedLeft: String { String(drop(while: { $0 == " " })) }
}
