import SluiceCore

/// A GameDay scenario, parsed and validated: queues, traffic, workers, faults on a timeline,
/// alarms, operator steps and expectations. Runs on the embedded store in virtual time.
///
/// Only ``DrillParser`` builds these from files, and only from files without errors; tests may
/// build them in code.
public struct Drill: Sendable, Hashable {
    /// Kebab-case identifier: `downstream-outage`.
    public var id: String
    /// One line for reports and menus.
    public var title: String
    /// The file it was read from (empty when built in code).
    public var sourcePath: String
    /// How much virtual time the drill covers.
    public var duration: TimeSpan
    /// The seed used unless `--seed` overrides it.
    public var seed: UInt64
    /// How often the monitor samples queue numbers (and alarms are evaluated).
    public var sampleInterval: TimeSpan
    /// Whether the DESIGN §6 default alarms are added to the ones declared.
    public var defaultAlarms: Bool
    /// The folder runbooks named by operator steps are read from.
    public var runbookDirectory: String
    public var queues: [DrillQueue]
    public var producers: [DrillProducer]
    public var workers: [DrillWorker]
    public var faults: [DrillFault]
    /// Alarms declared in the file (defaults of the same name are replaced).
    public var alarms: [AlarmDefinition]
    public var steps: [OperatorStep]
    public var expectations: [DrillExpectation]

    /// Creates a drill.
    public init(id: String, title: String? = nil, sourcePath: String = "", duration: TimeSpan, seed: UInt64 = 1,
                sampleInterval: TimeSpan = .seconds(10), defaultAlarms: Bool = true, runbookDirectory: String = "runbooks",
                queues: [DrillQueue], producers: [DrillProducer] = [], workers: [DrillWorker] = [], faults: [DrillFault] = [],
                alarms: [AlarmDefinition] = [], steps: [OperatorStep] = [], expectations: [DrillExpectation] = []) {
        self.id = id
        self.title = title ?? id
        self.sourcePath = sourcePath
        self.duration = duration
        self.seed = seed
        self.sampleInterval = sampleInterval
        self.defaultAlarms = defaultAlarms
        self.runbookDirectory = runbookDirectory
        self.queues = queues
        self.producers = producers
        self.workers = workers
        self.faults = faults
        self.alarms = alarms
        self.steps = steps
        self.expectations = expectations
    }

    /// The queues as a backend would list them, with DLQ relationships.
    public var queueInfos: [QueueInfo] {
        queues.map { q in
            QueueInfo(spec: q.spec, deadLetterSources: queues.filter { $0.deadLetterQueue == q.name }.map(\.name).sorted())
        }
    }

    /// Every alarm the drill evaluates: the declared ones plus the defaults they do not replace.
    public var allAlarms: [AlarmDefinition] {
        defaultAlarms ? AlarmDefinition.merging(alarms, withDefaultsFor: queueInfos) : alarms
    }

    /// Runbook ids the operator steps name, sorted.
    public var runbookIds: [String] {
        Array(Set(steps.compactMap(\.action.runbookId))).sorted()
    }
}

/// A queue of a drill, with SQS's settings.
public struct DrillQueue: Sendable, Hashable {
    public var name: String
    public var visibilityTimeout: TimeSpan
    public var retention: TimeSpan
    /// The DLQ messages move to after `maxReceiveCount` receives.
    public var deadLetterQueue: String?
    public var maxReceiveCount: Int

    /// Creates a queue with SQS's defaults.
    public init(name: String, visibilityTimeout: TimeSpan = QueueSpec.defaultVisibilityTimeout, retention: TimeSpan = QueueSpec.defaultRetention,
                deadLetterQueue: String? = nil, maxReceiveCount: Int = 3) {
        self.name = name
        self.visibilityTimeout = visibilityTimeout
        self.retention = retention
        self.deadLetterQueue = deadLetterQueue
        self.maxReceiveCount = maxReceiveCount
    }

    /// The store's spec for this queue.
    public var spec: QueueSpec {
        QueueSpec(name: name, visibilityTimeout: visibilityTimeout, retention: retention,
                  redrivePolicy: deadLetterQueue.map { RedrivePolicy(deadLetterQueue: $0, maxReceiveCount: maxReceiveCount) })
    }
}
