import Foundation

// sluice-bench: measures the quality bars of DESIGN.md §9, each beside its peer from the same run.
// Usage: swift run -c release sluice-bench [--quick] [--only SECTION] [--json PATH]
let args = CommandLine.arguments.dropFirst()
let quick = args.contains("--quick")
let only = args.firstIndex(of: "--only").map { args[args.index(after: $0)] }
let jsonPath = args.firstIndex(of: "--json").map { args[args.index(after: $0)] } ?? "bench-results.json"

let dir = NSTemporaryDirectory() + "sluice-bench-" + UUID().uuidString
try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: dir) }

let report = Report()
/// Runs a section unless `--only` names another, with its name on stderr first.
func section(_ name: String, _ body: () async throws -> Void) async rethrows {
    guard only == nil || only == name else { return }
    FileHandle.standardError.write(Data("\(name)…\n".utf8))
    try await body()
}

try await section("store") {
    let embedded = try StoreBench.run(report, dir: dir, count: quick ? 20_000 : 200_000)
    try await MotoPeerBench.run(report, embeddedSend: embedded.send, embeddedReceive: embedded.receive, messages: quick ? 200 : 500)
}
try await section("dlq") { try DLQBench.run(report, dir: dir, messages: quick ? 100_000 : 1_000_000) }
try await section("redrive") { try await RedriveBench.run(report, dir: dir, messages: quick ? 20_000 : 100_000) }
try await section("sqs") { try await SQSBench.run(report, dir: dir, messages: quick ? 100 : 300) }
try await section("drill") { try await DrillBench.run(report, minutes: quick ? 5 : 60) }
try await section("console") { try await ConsoleBench.run(report, dir: dir, quick: quick) }

let machine = "\(ProcessInfo.processInfo.processorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB, \(ProcessInfo.processInfo.operatingSystemVersionString)"
print(report.markdown(machine: machine))
try report.json().write(to: URL(fileURLWithPath: jsonPath))
FileHandle.standardError.write(Data("wrote \(jsonPath)\n".utf8))
