import SluiceCore
import Yams

/// Reading each section of a drill file into its model; every problem becomes a diagnostic.
extension DrillReader {
    static let queueKeys = ["visibility_timeout", "retention", "dlq", "max_receive_count"]
    static let producerKeys = ["to", "distribute", "rate", "start", "stop", "bursts", "duplicates", "poison", "poison_error",
                               "batch", "window", "tenants", "hot_tenant"]
    static let burstKeys = ["at", "for", "rate"]
    static let workerKeys = ["from", "concurrency", "batch_size", "processing", "timeout", "idempotency", "idempotency_ttl",
                             "partial_batch_failure", "long_poll"]
    static let faultKinds = ["outage", "throttle", "poison", "crash", "slow"]
    static let faultKeys = faultKinds + ["at", "for", "mode", "ratio", "affects", "error", "count", "processing", "tenant"]
    static let alarmKeys = ["queue", "metric", "statistic", "period", "threshold", "comparison", "datapoints_to_alarm",
                            "evaluation_periods", "treat_missing_data", "severity"]

    func queues(_ node: Node) -> [DrillQueue] {
        guard let entries = mapping(node, "queues", example: "queues:\n  orders:\n    dlq: orders-dlq\n  orders-dlq: {}") else { return [] }
        return entries.compactMap { entry in
            guard let name = name(entry.keyNode, "queue name"),
                  let keys = mapping(entry.value, "queues.\(entry.key)", example: "\(entry.key):\n    visibility_timeout: 30s")
            else { return nil }
            checkKeys(keys, allowed: Self.queueKeys, in: "queue '\(name)'")
            var q = DrillQueue(name: name)
            if let n = value(keys, "visibility_timeout") { q.visibilityTimeout = span(n, "visibility_timeout", max: QueueSpec.maxVisibilityTimeout) ?? q.visibilityTimeout }
            if let n = value(keys, "retention") { q.retention = span(n, "retention", min: QueueSpec.minRetention, max: QueueSpec.maxRetention) ?? q.retention }
            if let n = value(keys, "dlq") { q.deadLetterQueue = self.name(n, "dlq") }
            if let n = value(keys, "max_receive_count") { q.maxReceiveCount = int(n, "max_receive_count", 1...1000) ?? q.maxReceiveCount }
            return q
        }
    }

    func producers(_ node: Node) -> [DrillProducer] {
        guard let entries = mapping(node, "producers", example: "producers:\n  checkout:\n    to: orders\n    rate: 20/s") else { return [] }
        return entries.compactMap { entry in
            guard let name = name(entry.keyNode, "producer name"),
                  let keys = mapping(entry.value, "producers.\(entry.key)", example: "\(entry.key):\n    to: orders\n    rate: 20/s")
            else { return nil }
            checkKeys(keys, allowed: Self.producerKeys, in: "producer '\(name)'")
            guard let toNode = value(keys, "to") else {
                error(entry.keyNode, "producer '\(name)' has no 'to'", fix: "add 'to: QUEUE' (or a list of queues)")
                return nil
            }
            guard let rateNode = value(keys, "rate") else {
                error(entry.keyNode, "producer '\(name)' has no 'rate'", fix: "add 'rate: 20/s'")
                return nil
            }
            var p = DrillProducer(name: name, queues: names(toNode, "to") ?? [], rate: rate(rateNode, "rate") ?? 0)
            if let n = value(keys, "distribute"), let text = string(n, "distribute") {
                if let d = DrillProducer.Distribution(rawValue: text) { p.distribution = d } else {
                    error(n, "distribute: '\(text)' is not a distribution", fix: "use \(DrillProducer.Distribution.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            if let n = value(keys, "start") { p.start = span(n, "start") ?? p.start }
            if let n = value(keys, "stop") { p.stop = span(n, "stop") }
            if let n = value(keys, "duplicates") { p.duplicateRatio = fraction(n, "duplicates") ?? 0 }
            if let n = value(keys, "poison") { p.poisonRatio = fraction(n, "poison") ?? 0 }
            if let n = value(keys, "poison_error") { p.poisonErrorType = string(n, "poison_error") ?? p.poisonErrorType }
            if let n = value(keys, "batch") { p.batchSize = int(n, "batch", 1...QueueLimits.maxBatchEntries) ?? p.batchSize }
            if let n = value(keys, "window") { p.window = span(n, "window", min: .milliseconds(10), max: .minutes(1)) ?? p.window }
            if let n = value(keys, "tenants") { p.tenants = int(n, "tenants", 1...10_000) ?? p.tenants }
            if let n = value(keys, "hot_tenant") { p.hotTenantShare = fraction(n, "hot_tenant") }
            if let n = value(keys, "bursts"), let items = sequence(n, "bursts", example: "bursts:\n      - {at: 10m, for: 1m, rate: 100/s}") {
                p.bursts = items.compactMap(burst)
            }
            return p
        }
    }

    private func burst(_ node: Node) -> DrillProducer.Burst? {
        guard let keys = mapping(node, "burst", example: "- {at: 10m, for: 1m, rate: 100/s}") else { return nil }
        checkKeys(keys, allowed: Self.burstKeys, in: "a burst")
        guard let at = value(keys, "at"), let length = value(keys, "for"), let rate = value(keys, "rate") else {
            error(node, "a burst needs 'at', 'for' and 'rate'", fix: "write {at: 10m, for: 1m, rate: 100/s}")
            return nil
        }
        guard let a = span(at, "at"), let l = span(length, "for", min: .seconds(1)), let r = self.rate(rate, "rate") else { return nil }
        return DrillProducer.Burst(at: a, length: l, rate: r)
    }

    func workers(_ node: Node) -> [DrillWorker] {
        guard let entries = mapping(node, "workers", example: "workers:\n  order-worker:\n    from: orders") else { return [] }
        return entries.compactMap { entry in
            guard let name = name(entry.keyNode, "worker name"),
                  let keys = mapping(entry.value, "workers.\(entry.key)", example: "\(entry.key):\n    from: orders\n    concurrency: 2")
            else { return nil }
            checkKeys(keys, allowed: Self.workerKeys, in: "worker '\(name)'")
            guard let fromNode = value(keys, "from") else {
                error(entry.keyNode, "worker '\(name)' has no 'from'", fix: "add 'from: QUEUE' (or a list of queues)")
                return nil
            }
            var w = DrillWorker(name: name, queues: names(fromNode, "from") ?? [])
            if let n = value(keys, "concurrency") { w.concurrency = int(n, "concurrency", 1...100) ?? w.concurrency }
            if let n = value(keys, "batch_size") { w.batchSize = int(n, "batch_size", 1...QueueLimits.maxBatchEntries) ?? w.batchSize }
            if let n = value(keys, "processing") { w.processing = spanRange(n, "processing", max: .minutes(15)) ?? w.processing }
            if let n = value(keys, "timeout") { w.timeout = span(n, "timeout", min: .seconds(1), max: .minutes(15)) ?? w.timeout }
            if let n = value(keys, "idempotency") { w.idempotency = bool(n, "idempotency") ?? w.idempotency }
            if let n = value(keys, "idempotency_ttl") { w.idempotencyTTL = span(n, "idempotency_ttl", min: .seconds(1), max: .days(30)) ?? w.idempotencyTTL }
            if let n = value(keys, "partial_batch_failure") { w.partialBatchFailure = bool(n, "partial_batch_failure") ?? w.partialBatchFailure }
            if let n = value(keys, "long_poll") { w.longPoll = span(n, "long_poll", min: .seconds(1), max: .seconds(20)) ?? w.longPoll }
            return w
        }
    }

    func faults(_ node: Node) -> [DrillFault] {
        guard let items = sequence(node, "faults", example: "faults:\n  - outage: order-worker\n    at: 5m\n    for: 10m") else { return [] }
        return items.compactMap { item in
            guard let keys = mapping(item, "fault", example: "- outage: order-worker\n    at: 5m\n    for: 10m") else { return nil }
            checkKeys(keys, allowed: Self.faultKeys, in: "a fault")
            let kinds = keys.filter { Self.faultKinds.contains($0.key) }
            guard kinds.count == 1, let kind = kinds.first else {
                error(item, kinds.isEmpty ? "a fault must say what fails" : "a fault names more than one kind (\(kinds.map(\.key).joined(separator: ", ")))",
                      fix: "start it with exactly one of: \(Self.faultKinds.map { "\($0): NAME" }.joined(separator: ", "))")
                return nil
            }
            guard let atNode = value(keys, "at") else {
                error(kind.keyNode, "the \(kind.key) fault has no 'at'", fix: "add 'at: 5m' (drill time it starts)")
                return nil
            }
            guard let target = name(kind.value, kind.key), let at = span(atNode, "at") else { return nil }
            let length = value(keys, "for").flatMap { span($0, "for", min: .seconds(1)) }
            let errorType = value(keys, "error").flatMap { string($0, "error") }
            let ratio = value(keys, "ratio").flatMap { fraction($0, "ratio") }
            func refuse(_ key: String) {
                if let n = value(keys, key) { error(n, "'\(key)' does not apply to a \(kind.key) fault", fix: "remove it") }
            }
            switch kind.key {
            case "outage", "throttle":
                let defaultFailure: DrillFault.CallFailure = kind.key == "throttle" ? .error : .hang
                var failure = defaultFailure
                if let n = value(keys, "mode"), let text = string(n, "mode") {
                    if let f = DrillFault.CallFailure(rawValue: text) { failure = f } else {
                        error(n, "mode: '\(text)' is not a failure mode", fix: "use \(DrillFault.CallFailure.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                }
                ["count", "processing", "tenant"].forEach(refuse)
                var perMessage = false
                if let n = value(keys, "affects"), let text = string(n, "affects") {
                    switch text {
                    case "messages": perMessage = true
                    case "calls": perMessage = false
                    default: error(n, "affects: '\(text)' is not what a fault can affect", fix: "use calls (each call fails at random) or messages (the same messages fail every time)")
                    }
                }
                let type = errorType ?? (kind.key == "throttle" ? "Throttled" : "Timeout")
                return DrillFault(at: at, length: length, kind: .downstream(worker: target, failure: failure, ratio: ratio ?? (kind.key == "throttle" ? 0.5 : 1),
                                                                            errorType: type, perMessage: perMessage))
            case "poison":
                ["mode", "ratio", "affects", "processing", "tenant", "for"].forEach(refuse)
                let count = value(keys, "count").flatMap { int($0, "count", 1...100_000) } ?? 1
                return DrillFault(at: at, kind: .poison(queue: target, count: count, errorType: errorType ?? "ValidationError"))
            case "crash":
                ["mode", "ratio", "affects", "count", "processing", "tenant", "error"].forEach(refuse)
                return DrillFault(at: at, length: length, kind: .crash(worker: target))
            default: // slow
                ["mode", "ratio", "affects", "error"].forEach(refuse)
                guard let processingNode = value(keys, "processing") else {
                    error(kind.keyNode, "the slow fault has no 'processing'", fix: "add 'processing: 4m' (time per record while slow)")
                    return nil
                }
                guard let processing = span(processingNode, "processing", min: .milliseconds(1), max: .minutes(15)) else { return nil }
                let tenant = value(keys, "tenant").flatMap { string($0, "tenant") }
                let count = value(keys, "count").flatMap { int($0, "count", 1...100_000) }
                return DrillFault(at: at, length: length, kind: .slow(worker: target, processing: processing, tenant: tenant, count: count))
            }
        }
    }

    func alarms(_ node: Node) -> [(AlarmDefinition, Node)] {
        guard let entries = mapping(node, "alarms", example: "alarms:\n  orders-depth:\n    queue: orders\n    metric: depth\n    threshold: 100") else { return [] }
        return entries.compactMap { entry in
            guard let keys = mapping(entry.value, "alarms.\(entry.key)", example: "\(entry.key):\n    queue: orders\n    metric: depth\n    threshold: 100")
            else { return nil }
            checkKeys(keys, allowed: Self.alarmKeys, in: "alarm '\(entry.key)'")
            guard let queueNode = value(keys, "queue"), let metricNode = value(keys, "metric"), let thresholdNode = value(keys, "threshold") else {
                error(entry.keyNode, "alarm '\(entry.key)' needs 'queue', 'metric' and 'threshold'", fix: "e.g. queue: orders, metric: depth, threshold: 100")
                return nil
            }
            func parsed<T>(_ key: String, _ parse: (String, String) throws -> T) -> T? {
                guard let n = value(keys, key), let text = string(n, key) else { return nil }
                do { return try parse(text, key) } catch let e as SluiceError {
                    error(n, e.message, fix: e.fix ?? "")
                } catch {}
                return nil
            }
            guard let queue = name(queueNode, "queue"), let metricText = string(metricNode, "metric"),
                  let threshold = double(thresholdNode, "threshold", -1e12...1e12) else { return nil }
            let metric: QueueMetric
            do { metric = try QueueMetric.parse(metricText) } catch let e as SluiceError {
                error(metricNode, e.message, fix: e.fix ?? "")
                return nil
            } catch { return nil }
            var d = AlarmDefinition(name: entry.key, queue: queue, metric: metric, statistic: metric.naturalStatistic, threshold: threshold)
            d.statistic = parsed("statistic", AlarmStatistic.parse) ?? d.statistic
            d.comparison = parsed("comparison", AlarmComparison.parse) ?? d.comparison
            d.treatMissingData = parsed("treat_missing_data", TreatMissingData.parse) ?? d.treatMissingData
            if let n = value(keys, "period") { d.period = span(n, "period", min: .seconds(1), max: .days(1)) ?? d.period }
            if let n = value(keys, "evaluation_periods") { d.evaluationPeriods = int(n, "evaluation_periods", 1...AlarmDefinition.maxEvaluationPeriods) ?? d.evaluationPeriods }
            d.datapointsToAlarm = d.evaluationPeriods
            if let n = value(keys, "datapoints_to_alarm") { d.datapointsToAlarm = int(n, "datapoints_to_alarm", 1...AlarmDefinition.maxEvaluationPeriods) ?? d.datapointsToAlarm }
            if let n = value(keys, "severity"), let text = string(n, "severity") {
                if let s = AlarmSeverity(rawValue: text) { d.severity = s } else { error(n, "severity: '\(text)' is not a severity", fix: "use alarm or warning") }
            }
            do { try d.validate() } catch let e as SluiceError {
                error(entry.keyNode, e.message, fix: e.fix ?? "")
                return nil
            } catch { return nil }
            return (d, entry.keyNode)
        }
    }
}
