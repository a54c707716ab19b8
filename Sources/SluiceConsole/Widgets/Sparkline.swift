/// A one-row chart of recent values with block characters, newest on the right.
public enum Sparkline {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The last `width` values as bars scaled to their maximum; zero is blank, so an empty
    /// queue reads as nothing at all. Left-padded with spaces when there are fewer values.
    public static func render(_ values: [Int], width: Int) -> String {
        guard width > 0 else { return "" }
        let shown = values.suffix(width)
        let top = shown.max() ?? 0
        var out = String(repeating: " ", count: width - shown.count)
        for v in shown {
            if v <= 0 || top <= 0 {
                out.append(" ")
            } else {
                let index = min(levels.count - 1, (v * levels.count - 1) / top)
                out.append(levels[index])
            }
        }
        return out
    }
}
