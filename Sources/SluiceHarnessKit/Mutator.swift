import SluiceCore

/// Mutates bytes the way a fuzzer does, with a bias for the shapes that break YAML and the small
/// languages inside runbooks (durations, rates, guards): byte flips, inserted tokens, deleted,
/// repeated and swapped lines, changed indentation, splices from other seeds, alias bombs.
public struct Mutator: Sendable {
    /// Tokens worth inserting.
    public static let dictionary: [String] = [
        ":", ": ", "- ", "-", "---", "...", "\n", "\n  ", "  ", "\t", "[", "]", "{", "}", ",", "&a ", "*a", "&b ", "*b",
        "!!str ", "!!int ", "!!binary ", "!!map ", "!!seq ", "!<tag:x> ", "? ", "|", "|-", ">", ">+", "#", "\"", "'", "\\", "%YAML 1.2\n",
        "@", "`", "~", "null", "true", "false", "yes", "no", "-1", "0", "-0", "1.5", "99999999999999999999", "9223372036854775807",
        "-9223372036854775808", "1e309", "NaN", ".nan", ".inf", "-.inf", "0x7f", "0o17", "ms", "s", "m", "h", "d", "w", "..", "...",
        "/s", "/m", "/h", "/", "%", "depth(", "in_flight(", "oldest_age(", "alarm(", "returned_ratio", ")", "(", ">", ">=", "<", "<=",
        "==", "!=", "ALARM", "OK", "INSUFFICIENT_DATA", "requeue", "retry-later", "discard", "skip", "pause_if: ", "abort_if: ",
        "\u{0}", "\u{7}", "\u{1B}[2J", "\u{FEFF}", "\u{200B}", "\u{202E}", "é", "🚀", "\r\n", "\r", "<<: *a", "<<: {x: 1}",
        "min_age: ", "max_age: ", "error_types: ", "size: ", "jitter: ", "max_rate: ", "max_messages: ", "strategy:\n",
        "guards:\n", "filter:\n", "batch:\n", "require:\n", "root_cause_ack: ", "at: ", "for: ", "rate: ", "seed: ", "duration: ",
        "5m", "0ms", "200ms..2s", "2s..200ms", "1h30m", "999999999999d", "10/s", "0/s", "-5/s", "1e400/s",
        "0.000000000000000000000000000000000000001", "0.0001/h", "99999999999999999999999999999/s", "3650d", "0.5",
    ]

    var rng: SplitMix64

    /// A mutator drawing from `seed`.
    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(rng.next() % UInt64(n)) }

    /// A mutation of `input`: one to five edits, sometimes spliced with `other`.
    public mutating func mutate(_ input: [UInt8], other: [UInt8]) -> [UInt8] {
        var out = input
        for _ in 0...below(5) { out = edit(out, other: other) }
        return out.count > 256 * 1024 ? Array(out.prefix(256 * 1024)) : out
    }

    private mutating func edit(_ b: [UInt8], other: [UInt8]) -> [UInt8] {
        var out = b
        let at = below(out.count + 1)
        switch below(14) {
        case 0 where !out.isEmpty:
            out[below(out.count)] ^= UInt8(1) << UInt8(below(8))
        case 1 where !out.isEmpty:
            out[below(out.count)] = UInt8(truncatingIfNeeded: rng.next())
        case 2:
            out.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
        case 3, 4:
            out.insert(contentsOf: Array(Self.dictionary[below(Self.dictionary.count)].utf8), at: at)
        case 5 where !out.isEmpty:
            let len = 1 + below(min(64, out.count - min(at, out.count - 1)))
            let start = min(at, out.count - 1)
            out.removeSubrange(start..<min(out.count, start + len))
        case 6 where !out.isEmpty:
            let start = below(out.count), len = 1 + below(min(256, out.count - start))
            out.insert(contentsOf: out[start..<(start + len)], at: at)
        case 7 where !other.isEmpty:
            let start = below(other.count), len = 1 + below(min(512, other.count - start))
            out.insert(contentsOf: other[start..<(start + len)], at: at)
        case 8:
            out = Array(out.prefix(at))
        default:
            out = lineEdit(out)
        }
        return out
    }

    /// Edits whole lines: YAML's structure is lines and indentation.
    private mutating func lineEdit(_ b: [UInt8]) -> [UInt8] {
        var lines = b.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
        guard !lines.isEmpty else { return b }
        let i = below(lines.count)
        switch below(7) {
        case 0: lines.remove(at: i)
        case 1: lines.insert(lines[i], at: below(lines.count + 1))
        case 2: lines.swapAt(i, below(lines.count))
        case 3: lines[i] = Array(String(repeating: " ", count: below(9)).utf8) + lines[i].drop { $0 == 32 }
        case 4: lines[i] = lines[i].drop { $0 == 32 } + []
        case 5:
            // A line's value replaced by a token: `key: <token>`.
            if let colon = lines[i].firstIndex(of: 58) {
                lines[i] = Array(lines[i][...colon]) + [32] + Array(Self.dictionary[below(Self.dictionary.count)].utf8)
            }
        default:
            // An alias bomb: each anchor doubles the previous one (2^depth nodes when expanded).
            let depth = 10 + below(20)
            var bomb = "x0: &x0 [lol, lol]\n"
            for d in 1..<depth { bomb += "x\(d): &x\(d) [*x\(d - 1), *x\(d - 1)]\n" }
            lines.insert(Array(bomb.utf8), at: i)
        }
        return Array(lines.joined(separator: [10]))
    }
}
