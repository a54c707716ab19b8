/// Shell-style matching of queue names against runbook `dlq` patterns.
///
/// `*` matches any run of characters (including none), `?` exactly one; everything else matches
/// itself, case-sensitively, because SQS queue names are case-sensitive.
public enum QueueGlob {
    /// Whether `name` matches `pattern` as a whole.
    public static func matches(_ pattern: String, _ name: String) -> Bool {
        let p = Array(pattern), n = Array(name)
        var pi = 0, ni = 0
        // Where the last `*` was and how much of the name it has swallowed so far: on a mismatch
        // the star takes one more character, which keeps matching linear-ish without recursion.
        var starAt: Int?
        var starName = 0
        while ni < n.count {
            if pi < p.count, p[pi] == "?" || p[pi] == n[ni] {
                pi += 1
                ni += 1
            } else if pi < p.count, p[pi] == "*" {
                starAt = pi
                starName = ni
                pi += 1
            } else if let star = starAt {
                pi = star + 1
                starName += 1
                ni = starName
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Whether the pattern contains a wildcard at all.
    public static func isPattern(_ text: String) -> Bool {
        text.contains("*") || text.contains("?")
    }
}
