import Testing
import SluiceCore

@Suite struct MetricsSeriesTests {
    static let t0 = Timestamp(millis: 1_795_600_020_000) // a minute boundary

    static func stats(_ queue: String = "q", at: Timestamp, depth: Int, sent: Int64 = 0, deleted: Int64 = 0, failed: Int64 = 0, oldest: TimeSpan? = nil) -> QueueStats {
        QueueStats(queue: queue, at: at, visible: depth, inFlight: 0, delayed: 0, oldestAge: oldest ?? (depth > 0 ? .seconds(1) : nil),
                   counters: QueueCounters(sent: sent, deleted: deleted, failed: failed))
    }

    @Test func ringBufferKeepsTheNewestInOrder() {
        var ring = RingBuffer<Int>(capacity: 3)
        #expect(ring.isEmpty)
        for i in 1...5 { ring.append(i) }
        #expect(Array(ring) == [3, 4, 5])
        #expect(ring.count == 3 && ring.first == 3 && ring.last == 5)
        ring.append(6)
        #expect(Array(ring) == [4, 5, 6])
    }

    @Test func seriesStaysBoundedAndKeepsTheNewestSamples() {
        var series = MetricSeries(queue: "q", capacity: 720)
        for i in 0..<2000 {
            series.record(Self.stats(at: Self.t0 + .seconds(Int64(i) * 10), depth: i))
        }
        #expect(series.samples.count == 720)
        #expect(series.samples.first?.depth == 1280)
        #expect(series.samples.last?.depth == 1999)
        #expect(series.samples.map(\.at) == series.samples.map(\.at).sorted())
    }

    @Test func monitorMemoryIsBoundedByRetentionNotRunTime() {
        let monitor = Monitor(sampleInterval: .seconds(10), retention: .hours(2))
        // Five hours of one-second polling for 20 queues.
        for second in stride(from: 0, to: 5 * 3600, by: 1) {
            let at = Self.t0 + .seconds(Int64(second))
            monitor.ingest((0..<20).map { Self.stats("q\($0)", at: at, depth: second % 7) })
        }
        for q in monitor.queues {
            let series = monitor.series(for: q)!
            #expect(series.samples.count <= 2 * 360 + 2, "2 h at one kept sample per 10 s")
            #expect(series.samples.last!.at - series.samples.first!.at <= .hours(2) + .seconds(10))
            #expect(series.latest?.at == Self.t0 + .seconds(5 * 3600 - 1), "the newest snapshot is kept for display even when not sampled")
        }
    }

    @Test func ratesComeFromCounterDeltas() throws {
        var series = MetricSeries(queue: "q", capacity: 100)
        // 50 sends and 40 deletes every 10 s.
        for i in 0...12 {
            series.record(Self.stats(at: Self.t0 + .seconds(Int64(i) * 10), depth: 10 * i, sent: Int64(50 * i), deleted: Int64(40 * i)))
        }
        let now = Self.t0 + .seconds(120)
        #expect(series.rate(of: .sent, over: .minutes(1), now: now) == 5)
        #expect(series.rate(of: .deleted, over: .minutes(1), now: now) == 4)
        #expect(series.rate(of: .depth, over: .minutes(1), now: now) == nil, "a gauge has no rate")
        #expect(series.samples.first?.counts == nil, "the first sample has no previous one to diff against")
        let second = try #require(series.samples.dropFirst().first)
        #expect(second.counts?.sent == 50 && second.interval == .seconds(10) && second.depthDelta == 10)
    }

    @Test func aCounterThatGoesBackwardsIsAReset() {
        var series = MetricSeries(queue: "q", capacity: 10)
        series.record(Self.stats(at: Self.t0, depth: 0, sent: 500))
        series.record(Self.stats(at: Self.t0 + .seconds(10), depth: 0, sent: 7)) // queue re-created
        #expect(series.samples.last?.counts?.sent == 7)
    }

    @Test func snapshotsCloserThanTheIntervalAreNotKeptButNothingIsLost() {
        var series = MetricSeries(queue: "q", capacity: 100, minimumSpacing: .seconds(10))
        for i in 0...30 { // one snapshot per second, 1 failure per second
            series.record(Self.stats(at: Self.t0 + .seconds(Int64(i)), depth: 0, failed: Int64(i)))
        }
        #expect(series.samples.map(\.at) == [Self.t0, Self.t0 + .seconds(10), Self.t0 + .seconds(20), Self.t0 + .seconds(30)])
        #expect(series.samples.compactMap { $0.counts?.failed } == [10, 10, 10])
        #expect(series.aggregate(.failed, .sum, from: Self.t0, to: Self.t0 + .minutes(1)) == 30)
    }

    @Test func sparklineBucketsAlignAndShowGaps() {
        var series = MetricSeries(queue: "q", capacity: 100)
        // Minute 0: depth 1, 3; minute 1: nothing; minute 2: depth 2, 8; minute 3 (filling): 5.
        let points: [(Int64, Int, Int64)] = [(5, 1, 10), (50, 3, 30), (125, 2, 40), (170, 8, 100), (190, 5, 101)]
        for (s, depth, sent) in points {
            series.record(Self.stats(at: Self.t0 + .seconds(s), depth: depth, sent: sent))
        }
        let now = Self.t0 + .seconds(195)
        #expect(series.sparkline(.depth, bucket: .minutes(1), count: 4, now: now) == [3, nil, 8, 5])
        #expect(series.sparkline(.depth, statistic: .minimum, bucket: .minutes(1), count: 2, now: now) == [2, 5])
        // Sends per minute: the sample at 50 s holds 20, at 125 s 10, at 170 s 60, at 190 s 1.
        #expect(series.sparkline(.sent, bucket: .minutes(1), count: 4, now: now) == [20, nil, 70, 1])
        #expect(series.sparkline(.depth, bucket: .minutes(1), count: 6, now: now).prefix(2).allSatisfy { $0 == nil }, "before the first sample: gaps")
    }
}
