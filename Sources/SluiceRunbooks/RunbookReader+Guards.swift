import SluiceCore
import Yams

extension RunbookReader {
    private static let guardExample = "guards:\n  - pause_if: depth(orders) > 1000\n  - abort_if: alarm(orders-worker-errors) == ALARM"

    /// Reads `guards:`: a list of one-key mappings `- pause_if: CONDITION` / `- abort_if: CONDITION`.
    func readGuards(_ node: Node) -> [RunbookGuard] {
        if isNull(node) { return [] }
        guard case let .sequence(sequence) = node else {
            error(node, "'guards' must be a list, got \(describe(node))",
                  fix: "start each guard on its own line with '- pause_if:' or '- abort_if:'")
            return []
        }
        var guards: [RunbookGuard] = []
        for item in sequence {
            if case .scalar = item, !isNull(item) {
                error(item, "guard '\(item.string ?? "")' has no action", fix: "write '- pause_if: \(item.string ?? "CONDITION")' or '- abort_if: \(item.string ?? "CONDITION")'")
                continue
            }
            guard let entries = mapping(item, "guards item", example: "- pause_if: depth(orders) > 1000") else { continue }
            guard let first = entries.first else {
                error(item, "empty guard", fix: "write '- pause_if: CONDITION' or '- abort_if: CONDITION'")
                continue
            }
            for extra in entries.dropFirst() {
                error(extra.keyNode, "one guard per list item: '\(extra.key)' shares an item with '\(first.key)'",
                      fix: "start a new item with '- ' for each guard")
            }
            guard let action = action(first) else { continue }
            guard let source = text(first.value, "guards.\(first.key)", example: "\(first.key): depth(orders) > 1000") else { continue }
            let (line, column) = position(first.value, offset: quoteOffset(first.value))
            do {
                let condition = try GuardCondition.parse(source)
                guards.append(RunbookGuard(action: action, condition: condition, sourceText: source, line: line, column: column))
            } catch {
                self.error(line: line, column: column + error.offset, "guard '\(source)': \(error.message)", fix: error.fix)
            }
        }
        return guards
    }

    private func action(_ entry: Entry) -> RunbookGuard.Action? {
        switch entry.key {
        case "pause_if": return .pause
        case "abort_if": return .abort
        default:
            let fix = Spelling.closest(to: entry.key, among: RunbookKeys.guardActions).map { "did you mean '\($0)'?" }
                ?? "a guard starts with 'pause_if' (wait until it clears) or 'abort_if' (stop the redrive)"
            error(entry.keyNode, "unknown guard action '\(entry.key)'", fix: fix)
            return nil
        }
    }
}
