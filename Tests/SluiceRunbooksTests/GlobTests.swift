import SluiceCore
import Testing

@Suite("Queue globs")
struct GlobTests {
    @Test("matches", arguments: [
        ("orders-dlq", "orders-dlq", true),
        ("orders-dlq", "orders-dlq2", false),
        ("*-dlq", "orders-dlq", true),
        ("*-dlq", "-dlq", true),
        ("*-dlq", "orders-dlq.fifo", false),
        ("*-dlq*", "orders-dlq.fifo", true),
        ("orders-*", "orders-dlq", true),
        ("orders-*", "payments-dlq", false),
        ("*", "", true),
        ("*", "anything", true),
        ("", "", true),
        ("", "x", false),
        ("?-dlq", "a-dlq", true),
        ("?-dlq", "ab-dlq", false),
        ("pay*-*-dlq", "payments-eu-dlq", true),
        ("pay*-*-dlq", "payments-dlq", false),
        ("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        ("Orders-DLQ", "orders-dlq", false),
    ])
    func matches(pattern: String, name: String, expected: Bool) {
        #expect(QueueGlob.matches(pattern, name) == expected)
    }

    @Test("a glob agrees with a slow reference matcher on random inputs")
    func agreesWithReference() {
        func reference(_ p: Substring, _ n: Substring) -> Bool {
            guard let first = p.first else { return n.isEmpty }
            if first == "*" { return reference(p.dropFirst(), n) || (!n.isEmpty && reference(p, n.dropFirst())) }
            guard let c = n.first, first == "?" || first == c else { return false }
            return reference(p.dropFirst(), n.dropFirst())
        }
        var rng = SplitMix64(seed: 42)
        let patternAlphabet: [Character] = ["a", "b", "-", "*", "?"], nameAlphabet: [Character] = ["a", "b", "-"]
        for _ in 0..<3000 {
            let p = String((0..<Int.random(in: 0...6, using: &rng)).map { _ in patternAlphabet.randomElement(using: &rng)! })
            let n = String((0..<Int.random(in: 0...8, using: &rng)).map { _ in nameAlphabet.randomElement(using: &rng)! })
            #expect(QueueGlob.matches(p, n) == reference(Substring(p), Substring(n)), "'\(p)' vs '\(n)'")
        }
    }
}
