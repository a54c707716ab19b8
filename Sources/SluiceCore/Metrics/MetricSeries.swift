/// A queue's recent samples in a bounded ring buffer, with the aggregations alarms, sparklines
/// and rate read-outs need.
///
/// Snapshots closer together than `minimumSpacing` update ``latest`` but do not become samples,
/// so a console that polls every second still keeps, say, two hours at one sample per 10 s.
/// Counter deltas are always taken against the previous *kept* sample, so no event is lost by
/// skipping a snapshot.
public struct MetricSeries: Sendable {
    /// The queue this series is about.
    public let queue: String
    /// Kept samples, oldest first.
    public private(set) var samples: RingBuffer<MetricSample>
    /// The least time between two kept samples.
    public let minimumSpacing: TimeSpan
    /// The newest snapshot seen, kept or not: what a dashboard shows.
    public private(set) var latest: QueueStats?
    private var lastKept: QueueStats?

    /// Creates an empty series keeping at most `capacity` samples.
    public init(queue: String, capacity: Int, minimumSpacing: TimeSpan = .zero) {
        self.queue = queue
        self.samples = RingBuffer(capacity: capacity)
        self.minimumSpacing = minimumSpacing
    }

    /// Records a snapshot; returns whether it became a sample.
    ///
    /// Snapshots older than the newest one seen are dropped: time only moves forward here.
    @discardableResult
    public mutating func record(_ stats: QueueStats) -> Bool {
        if let latest, stats.at < latest.at { return false }
        latest = stats
        if let lastKept, stats.at - lastKept.at < Swift.max(minimumSpacing, TimeSpan(millis: 1)) { return false }
        samples.append(MetricSample(stats, previous: lastKept))
        lastKept = stats
        return true
    }

    /// Grows the buffer to keep at least `capacity` samples, keeping what it holds.
    public mutating func reserve(capacity: Int) {
        guard capacity > samples.capacity else { return }
        var grown = RingBuffer<MetricSample>(capacity: capacity)
        for sample in samples { grown.append(sample) }
        samples = grown
    }

    /// The index of the first kept sample taken at or after `time` (`samples.count` when none).
    public func firstIndex(atOrAfter time: Timestamp) -> Int {
        var low = 0, high = samples.count
        while low < high {
            let mid = (low + high) / 2
            if samples[mid].at < time { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// `statistic` of `metric` over the samples taken in `[from, to)`; nil when none has a value.
    public func aggregate(_ metric: QueueMetric, _ statistic: AlarmStatistic, from: Timestamp, to: Timestamp) -> Double? {
        var accumulator = AlarmStatistic.Accumulator()
        var index = firstIndex(atOrAfter: from)
        while index < samples.count {
            let sample = samples[index]
            if sample.at >= to { break }
            if let value = sample.value(of: metric) { accumulator.add(value) }
            index += 1
        }
        return accumulator.value(of: statistic)
    }

    /// One datapoint per period for the `count` periods that end at `end` (exclusive), oldest
    /// first; a period without samples (or whose samples lack the metric) is missing.
    public func datapoints(_ metric: QueueMetric, _ statistic: AlarmStatistic, period: TimeSpan, count: Int, endingAt end: Timestamp) -> [MetricDatapoint] {
        guard count > 0, period.millis > 0 else { return [] }
        return (0..<count).map { offset in
            let start = end - period * Int64(count - offset)
            return MetricDatapoint(start: start, value: aggregate(metric, statistic, from: start, to: start + period))
        }
    }

    /// The last `count` buckets of `metric`, oldest first, for a sparkline. Buckets are aligned
    /// to multiples of `bucket` since the epoch; the last one is the bucket holding `now`, still
    /// filling. A bucket without samples is nil (drawn as a gap).
    public func sparkline(_ metric: QueueMetric, statistic: AlarmStatistic? = nil, bucket: TimeSpan, count: Int, now: Timestamp) -> [Double?] {
        guard count > 0, bucket.millis > 0 else { return [] }
        let end = Timestamp(millis: now.millis.floorDivided(by: bucket.millis).quotient * bucket.millis) + bucket
        return datapoints(metric, statistic ?? metric.naturalStatistic, period: bucket, count: count, endingAt: end).map(\.value)
    }

    /// Events of a count metric per second over the samples taken in `(now - window, now]`,
    /// measured over the time those samples actually cover; nil for gauges or without samples.
    public func rate(of metric: QueueMetric, over window: TimeSpan, now: Timestamp) -> Double? {
        guard metric.isCount else { return nil }
        var total = 0.0
        var covered: Int64 = 0
        var index = firstIndex(atOrAfter: now - window + TimeSpan(millis: 1))
        while index < samples.count {
            let sample = samples[index]
            if sample.at > now { break }
            if let value = sample.value(of: metric), let interval = sample.interval {
                total += value
                covered += interval.millis
            }
            index += 1
        }
        guard covered > 0 else { return nil }
        return total / (Double(covered) / 1000)
    }
}

/// One period's aggregated value, as an alarm sees it; `value` is nil when data is missing.
public struct MetricDatapoint: Sendable, Hashable {
    /// The period's start (CloudWatch labels datapoints by period start).
    public var start: Timestamp
    /// The statistic over the period's samples, or nil when the period had none.
    public var value: Double?

    /// Creates a datapoint.
    public init(start: Timestamp, value: Double?) {
        self.start = start
        self.value = value
    }
}
