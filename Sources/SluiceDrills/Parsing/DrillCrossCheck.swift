import Foundation
import SluiceCore
import SluiceRunbooks
import Yams

/// Checks that a drill's parts fit together: names point at things that exist, runbooks exist
/// and cover the DLQs they are used on, timings fall inside the drill.
struct DrillCrossCheck {
    let reader: DrillReader
    let drill: Drill
    let root: Node
    let top: [DrillReader.Entry]

    enum Step { case key(String), index(Int) }

    /// The node at a path of keys and list indexes from the top, or the deepest one found.
    func node(_ path: Step...) -> Node {
        var current = root
        for step in path {
            switch (step, current) {
            case let (.key(k), .mapping(m)):
                guard let next = m.first(where: { $0.key.string == k }) else { return current }
                current = next.value
            case let (.index(i), .sequence(s)) where i < s.count:
                current = s[i]
            default:
                return current
            }
        }
        return current
    }

    /// The key node of `key` inside the mapping at `path` (for pointing at a name).
    func keyNode(_ section: String, _ key: String) -> Node {
        if case let .mapping(m) = node(.key(section)), let entry = m.first(where: { $0.key.string == key }) { return entry.key }
        return node(.key(section))
    }

    func checkTopology(alarms: [(AlarmDefinition, Node)]) {
        let names = Set(drill.queues.map(\.name))
        let known = "known queues: \(drill.queues.map(\.name).joined(separator: ", "))"
        func unknownQueue(_ name: String, at node: Node, _ role: String) {
            let suggestion = Spelling.closest(to: name, among: drill.queues.map(\.name))
            reader.error(node, "\(role) '\(name)' is not a queue of this drill", fix: suggestion.map { "did you mean '\($0)'?" } ?? known)
        }
        for q in drill.queues {
            if let dlq = q.deadLetterQueue {
                if !names.contains(dlq) { unknownQueue(dlq, at: node(.key("queues"), .key(q.name), .key("dlq")), "dlq") }
                else if dlq == q.name { reader.error(node(.key("queues"), .key(q.name), .key("dlq")), "queue '\(q.name)' cannot be its own DLQ", fix: "name another queue") }
            }
            do { try QueueSpec(name: q.name, visibilityTimeout: q.visibilityTimeout, retention: q.retention).validate() } catch let e as SluiceError {
                reader.error(keyNode("queues", q.name), e.message, fix: e.fix ?? "")
            } catch {}
        }
        if drill.queues.isEmpty, top.contains(where: { $0.key == "queues" }) {
            reader.error(node(.key("queues")), "the drill declares no queues", fix: "declare at least one queue under 'queues:'")
        }
        for p in drill.producers {
            for (i, q) in p.queues.enumerated() where !names.contains(q) {
                let at = p.queues.count > 1 ? node(.key("producers"), .key(p.name), .key("to"), .index(i)) : node(.key("producers"), .key(p.name), .key("to"))
                unknownQueue(q, at: at, "producer '\(p.name)' sends to")
            }
            if let stop = p.stop, stop <= p.start {
                reader.error(node(.key("producers"), .key(p.name), .key("stop")), "producer '\(p.name)' stops (\(stop)) before it starts (\(p.start))", fix: "make stop later than start")
            }
            if p.hotTenantShare != nil, p.tenants < 2 {
                reader.warning(node(.key("producers"), .key(p.name), .key("hot_tenant")), "hot_tenant has no effect with a single tenant", fix: "set 'tenants:' to 2 or more")
            }
        }
        let workerNames = drill.workers.map(\.name)
        for w in drill.workers {
            for (i, q) in w.queues.enumerated() {
                let at = w.queues.count > 1 ? node(.key("workers"), .key(w.name), .key("from"), .index(i)) : node(.key("workers"), .key(w.name), .key("from"))
                guard let queue = drill.queues.first(where: { $0.name == q }) else {
                    unknownQueue(q, at: at, "worker '\(w.name)' reads")
                    continue
                }
                if w.timeout > queue.visibilityTimeout {
                    reader.warning(node(.key("workers"), .key(w.name), .key("timeout")),
                                   "worker '\(w.name)' may run \(w.timeout), longer than the \(queue.visibilityTimeout) visibility timeout of '\(q)': records come back while still being processed",
                                   fix: "make the queue's visibility_timeout at least the worker's timeout (AWS advises 6x)")
                }
            }
        }
        for (i, f) in drill.faults.enumerated() {
            let at = node(.key("faults"), .index(i))
            if let worker = f.worker, !workerNames.contains(worker) {
                let suggestion = Spelling.closest(to: worker, among: workerNames)
                reader.error(keyed(at), "fault names worker '\(worker)', which is not a worker of this drill",
                             fix: suggestion.map { "did you mean '\($0)'?" } ?? "known workers: \(workerNames.joined(separator: ", "))")
            }
            if case let .poison(queue, _, _) = f.kind, !names.contains(queue) { unknownQueue(queue, at: keyed(at), "the poison fault's queue") }
            if f.at >= drill.duration {
                reader.warning(keyed(at), "this fault starts at \(f.at), after the drill ends (\(drill.duration))", fix: "start it earlier or lengthen 'duration'")
            }
        }
        for (alarm, keyNode) in alarms where !names.contains(alarm.queue) {
            unknownQueue(alarm.queue, at: keyNode, "alarm '\(alarm.name)' watches")
        }
    }

    /// The first key of a list item (where a fault or step names its kind).
    private func keyed(_ item: Node) -> Node {
        if case let .mapping(m) = item, let first = m.first { return first.key }
        return item
    }

    /// Finds every runbook a redrive step names, reporting missing ones and ones that do not
    /// cover the step's DLQ.
    func resolveRunbooks(steps: [(OperatorStep, DrillReader.Entry?)], given: [Runbook]?) -> [Runbook] {
        let redrives = steps.filter { $0.0.action.runbookId != nil }
        let queueNames = Set(drill.queues.map(\.name))
        for (step, _) in steps {
            let dlq = step.action.dlq
            let at = stepNode(step)
            if !queueNames.contains(dlq) {
                reader.error(at, "the operator step names queue '\(dlq)', which is not a queue of this drill", fix: "known queues: \(drill.queues.map(\.name).joined(separator: ", "))")
            } else if !drill.queues.contains(where: { $0.deadLetterQueue == dlq }) {
                reader.error(at, "'\(dlq)' is not a DLQ: no queue of this drill dead-letters into it", fix: "redrive a queue named as some queue's 'dlq'")
            }
            if step.at >= drill.duration {
                reader.warning(at, "this step happens at \(step.at), after the drill ends (\(drill.duration))", fix: "make it earlier or lengthen 'duration'")
            }
        }
        guard !redrives.isEmpty else { return [] }
        var library: [Runbook]
        if let given {
            library = given
        } else {
            do {
                let loaded = try RunbookLibrary.load(directory: drill.runbookDirectory)
                library = loaded.runbooks
            } catch let e as SluiceError {
                let at = top.first { $0.key == "runbooks" }?.value ?? redrives[0].1?.value
                reader.error(at, "\(e.message) (the redrive steps need their runbooks)", fix: "set 'runbooks:' to the folder holding them, relative to this file")
                return []
            } catch { return [] }
        }
        var used: [Runbook] = []
        for (step, entry) in redrives {
            guard let id = step.action.runbookId else { continue }
            guard let runbook = library.first(where: { $0.id == id }) else {
                let suggestion = Spelling.closest(to: id, among: library.map(\.id))
                reader.error(entry?.value, "runbook '\(id)' does not exist in \(drill.runbookDirectory)",
                             fix: suggestion.map { "did you mean '\($0)'?" } ?? "known runbooks: \(library.map(\.id).joined(separator: ", "))")
                continue
            }
            if !runbook.appliesTo(queue: step.action.dlq) {
                reader.error(entry?.value, "runbook '\(id)' does not cover '\(step.action.dlq)' (its dlq: \(runbook.dlqPatterns.joined(separator: ", ")))",
                             fix: "pick a runbook for this DLQ, or widen the runbook's 'dlq' after review")
            }
            if !used.contains(where: { $0.id == id }) { used.append(runbook) }
        }
        return used
    }

    private func stepNode(_ step: OperatorStep) -> Node {
        guard case let .sequence(items) = node(.key("operator")) else { return root }
        for item in items {
            if case let .mapping(m) = item, let verb = m.first(where: { DrillReader.stepVerbs.contains($0.key.string ?? "") }),
               verb.key.mark?.line == step.line {
                return verb.value
            }
        }
        return root
    }

    func checkExpectations(_ expectations: [(DrillExpectation, DrillReader.Entry)], alarmNames: Set<String>) {
        let runbookIds = Set(drill.steps.compactMap(\.action.runbookId))
        let queueNames = drill.queues.map(\.name)
        for (expectation, head) in expectations {
            switch expectation.kind {
            case let .alarmFires(alarm, within, after, _):
                if !alarmNames.contains(alarm) { unknownAlarm(alarm, head, alarmNames) }
                if after + within > drill.duration {
                    reader.warning(head.value, "the alarm is given until \(after + within), after the drill ends (\(drill.duration))", fix: "shorten fires_within or lengthen 'duration'")
                }
            case let .alarmNever(alarm):
                if !alarmNames.contains(alarm) { unknownAlarm(alarm, head, alarmNames) }
            case let .guardPaused(runbook), let .redriveEnds(runbook, _):
                if !runbookIds.contains(runbook) {
                    reader.error(head.value, "no operator step redrives with runbook '\(runbook)'", fix: "add a redrive step using it, or name one of: \(runbookIds.sorted().joined(separator: ", "))")
                }
            case let .dlqOnly(queue, _):
                if !queueNames.contains(queue) {
                    reader.error(head.value, "'\(queue)' is not a queue of this drill", fix: "known queues: \(queueNames.joined(separator: ", "))")
                }
            case let .latency(glob, _, _):
                if !queueNames.contains(where: { QueueGlob.matches(glob, $0) }) {
                    reader.error(head.value, "'\(glob)' matches no queue of this drill", fix: "known queues: \(queueNames.joined(separator: ", "))")
                }
            case .counter:
                break
            }
        }
    }

    private func unknownAlarm(_ name: String, _ head: DrillReader.Entry, _ known: Set<String>) {
        let suggestion = Spelling.closest(to: name, among: known.sorted())
        reader.error(head.value, "alarm '\(name)' is not defined (declared or default)",
                     fix: suggestion.map { "did you mean '\($0)'?" } ?? "known alarms: \(known.sorted().joined(separator: ", "))")
    }
}
