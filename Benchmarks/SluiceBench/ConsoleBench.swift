import Foundation
import SluiceConsole
import SluiceCore
import SluiceStore
import SluiceTesting

/// The console: building and diffing a 200x50 frame; idle CPU and RSS of a real `sluice console`
/// in tmux (the latter on the 1,000,000-message store the dlq section built).
enum ConsoleBench {
    static func run(_ report: Report, dir: String, quick: Bool) async throws {
        frames(report, repeats: quick ? 200 : 2_000)
        guard Tmux.path != nil else {
            FileHandle.standardError.write(Data("  console: tmux is not installed, idle CPU and RSS skipped\n".utf8))
            return
        }
        let sluice = SluiceProcess.executablePath
        guard FileManager.default.isExecutableFile(atPath: sluice) else {
            FileHandle.standardError.write(Data("  console: no sluice binary beside sluice-bench (build it: swift build -c release), skipped\n".utf8))
            return
        }
        var store = dir + "/dlq.sluice"
        if !FileManager.default.fileExists(atPath: store) {
            // No 1M store (--only console): a small one, so idle CPU is still measured.
            store = dir + "/console-idle.sluice"
            let small = try Store(path: store)
            try small.createQueue(QueueSpec(name: "orders-dlq"))
            try small.createQueue(QueueSpec(name: "orders", redrivePolicy: RedrivePolicy(deadLetterQueue: "orders-dlq", maxReceiveCount: 3)))
            for _ in 0..<10 { try small.send(to: "orders-dlq", body: Array("{}".utf8)) }
        }
        await live(report, sluice: sluice, store: store, idleSeconds: quick ? 5 : 30)
    }

    // MARK: Frames

    /// A 200x50 dashboard of 20 queues and a browser page of 100 rows: render, then diff
    /// against the previous frame with one tick of change, as the loop does.
    static func frames(_ report: Report, repeats: Int) {
        let size = Size(width: 200, height: 50)
        let now = Timestamp(millis: 1_795_600_000_000)
        var state = ConsoleState(backendLabel: "embedded /tmp/bench.sluice", now: now, size: size)
        var queues: [QueueInfo] = []
        for i in 0..<10 {
            queues.append(QueueInfo(spec: QueueSpec(name: "service-\(i)", redrivePolicy: RedrivePolicy(deadLetterQueue: "service-\(i)-dlq", maxReceiveCount: 3)), deadLetterSources: []))
            queues.append(QueueInfo(spec: QueueSpec(name: "service-\(i)-dlq"), deadLetterSources: ["service-\(i)"]))
        }
        _ = state.apply(.queuesLoaded(queues))
        func poll(at t: Timestamp, shift: Int) -> MonitorReport {
            MonitorReport(at: t, readouts: queues.enumerated().map { i, q in
                QueueReadout(stats: QueueStats(queue: q.name, at: t, visible: 100 * i + shift, inFlight: i, delayed: 0, oldestAge: .seconds(Int64(i * 37))),
                             inRate: Double(i) * 1.5, outRate: Double(i) * 1.4, depthHistory: (0..<120).map { ($0 * 7 + i + shift) % 50 })
            })
        }
        _ = state.apply(.statsLoaded(poll(at: now, shift: 0)))
        let dashboardUs = renderAndDiff(state, size: size, repeats: repeats) { s, n in
            _ = s.apply(.statsLoaded(poll(at: now + .seconds(Int64(n)), shift: n)))
        }

        _ = state.apply(.key(.char("j")))
        _ = state.apply(.key(.enter))
        let generation = state.browser?.generation ?? 0
        let dlq = state.browser?.queue ?? "service-0-dlq"
        let types = ["Timeout", "Throttled", "ValidationError", "SchemaMismatch", "Unknown"]
        _ = state.apply(.facetsLoaded(queue: dlq, generation: generation, FacetCounts(counts: Dictionary(uniqueKeysWithValues: types.enumerated().map { ($1, 1000 * ($0 + 1)) }))))
        let rows = (0..<100).map { n in
            MessageSummary(id: String(format: "6f3c2a1e-9b7d-4c55-8e0a-%012x", n), errorType: types[n % types.count], errorMessage: "Task timed out after 30.00 seconds",
                           sentAt: now - .minutes(Int64(600 - n)), deadLetteredAt: now - .minutes(Int64(590 - n)), receiveCount: 3,
                           preview: "{\"orderId\":\"ord-\(n)\",\"customerId\":\"cus-8812\",\"amount\":{\"currency\":\"EUR\",\"value\":\"129.90\"}}", bodyBytes: 180)
        }
        _ = state.apply(.pageLoaded(queue: dlq, generation: generation, page: 0, messages: rows, nextCursor: "c100"))
        let browserUs = renderAndDiff(state, size: size, repeats: repeats) { s, n in
            _ = s.apply(.key(.char(n % 2 == 0 ? "j" : "k")))
        }
        let worst = max(dashboardUs, browserUs)
        report.add(Row(section: "console", measure: "build + diff a 200x50 frame: dashboard of 20 queues (browser of 100 rows: \(Report.format(browserUs)) µs)",
                       value: dashboardUs, unit: "µs", peer: nil, peerValue: nil, target: "< 1 ms", met: worst < 1000,
                       note: "median of \(repeats); each frame differs from the last by one poll or one key"))
    }

    /// Median microseconds of `ConsoleView.render` plus `FrameDiff.between` after `change`.
    static func renderAndDiff(_ start: ConsoleState, size: Size, repeats: Int, change: (inout ConsoleState, Int) -> Void) -> Double {
        var state = start
        var previous = ConsoleView.render(state, size: size)
        var samples: [Double] = []
        var changed = 0
        for n in 0..<repeats {
            change(&state, n)
            let t0 = DispatchTime.now().uptimeNanoseconds
            let frame = ConsoleView.render(state, size: size)
            let diff = FrameDiff.between(previous, frame)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
            changed += diff.changedCells
            previous = frame
        }
        precondition(changed > 0, "the benchmark's frames never changed")
        samples.sort()
        return samples[samples.count / 2]
    }

    // MARK: A real console

    /// Idle CPU over `idleSeconds` on the dashboard and RSS with the big DLQ open in the browser,
    /// read from /proc while `sluice console --read-only` runs in a private tmux server.
    static func live(_ report: Report, sluice: String, store: String, idleSeconds: Int) async {
        let command = "env -u SLUICE_STORE LANG=C.UTF-8 TERM=screen '\(sluice)' console --read-only --store '\(store)'"
        // The status bar is off, so the pane is the whole 200x50 window.
        guard let tmux = try? Tmux(width: 200, height: 50, command: command) else {
            FileHandle.standardError.write(Data("  console: the console did not start under tmux, skipped\n".utf8))
            return
        }
        defer { tmux.close() }
        guard await tmux.waitFor("Queues ("), let pid = tmux.programPID() else {
            FileHandle.standardError.write(Data("  console: the console did not start under tmux, skipped\n".utf8))
            return
        }
        // Let start-up work (first polls, alarm history) settle before measuring idle.
        sleep(2)
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        let before = cpuTicks(pid), t0 = Date()
        sleep(UInt32(idleSeconds))
        let after = cpuTicks(pid), wall = Date().timeIntervalSince(t0)
        if let before, let after {
            let percent = Double(after - before) / ticksPerSecond / wall * 100
            report.add(Row(section: "console", measure: "CPU of an idle console (dashboard, 200x50, \(idleSeconds) s)", value: percent, unit: "%",
                           peer: nil, peerValue: nil, target: "< 1 %", met: percent < 1, note: "utime+stime from /proc/PID/stat"))
        }
        // Open the largest DLQ (the 1M one when the dlq section ran): browser, facets and a page.
        tmux.keys("Enter")
        _ = await tmux.waitFor("Messages 1/", timeout: 120)
        sleep(2)
        if let rss = residentKiB(pid) {
            let mib = Double(rss) / 1024
            let label = store.hasSuffix("dlq.sluice") ? "1,000,000-message store" : "small store (run the dlq section for the 1M store)"
            report.add(Row(section: "console", measure: "RSS with a \(label) open in the DLQ browser", value: mib, unit: "MiB",
                           peer: nil, peerValue: nil, target: "< 64 MiB", met: mib < 64, note: "VmRSS from /proc/PID/status"))
        }
    }

    static func cpuTicks(_ pid: Int32) -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after "(comm)": state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let u = Int(fields[11]), let s = Int(fields[12]) else { return nil }
        return u + s
    }

    static func residentKiB(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return line.flatMap { Int($0.split(separator: " ")[1]) }
    }
}
