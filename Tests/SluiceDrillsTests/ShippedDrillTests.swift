import Foundation
import SluiceCore
import SluiceDrills
import SluiceRunbooks
import Testing

@Suite("Shipped drills")
struct ShippedDrillTests {
    @Test("there are at least the three drills of issue 5", .tags(.shipped))
    func theThreeScenarios() {
        let files = Shipped.drillFiles
        #expect(files.count >= 3)
        for name in ["downstream-outage.yaml", "poison-pill-storm.yaml", "hot-tenant.yaml"] {
            #expect(files.contains(name), "runbooks/drills/\(name) is shipped")
        }
    }

    // Each case runs on its own task, so the drills run side by side.
    @Test("every shipped drill passes", .tags(.shipped), arguments: Shipped.drillFiles)
    func passes(_ file: String) async throws {
        let report = try await DrillRunner.run(path: Shipped.drills + "/" + file).report
        #expect(report.passed, "\(report.text)")
        #expect(!report.expectations.isEmpty, "a shipped drill checks something")
        #expect(report.count(.lost) == 0)
        #expect(report.count(.duplicateSideEffects) == 0)
    }

    @Test("every shipped runbook is exercised by at least one shipped drill")
    func runbookCoverage() throws {
        var used: [String: [String]] = [:]
        for file in Shipped.drillFiles {
            let loaded = try DrillParser.load(path: Shipped.drills + "/" + file)
            for id in loaded.drill.runbookIds { used[id, default: []].append(file) }
        }
        let shipped = try Shipped.runbookFiles.map { try RunbookParser.load(path: Shipped.runbooks + "/" + $0).id }
        #expect(shipped.count >= 3)
        for id in shipped {
            #expect(used[id] != nil, "runbook \(id) is used by no shipped drill (drills use: \(used.keys.sorted()))")
        }
    }

    @Test("sluice runbook check validates the drills and the runbooks they name")
    func runbookCheck() throws {
        let check = RunbookCheck(drillValidator: { DrillParser.validate(path: $0) })
        let shipped = try check.run(paths: [Shipped.runbooks])
        #expect(shipped.drillCount == Shipped.drillFiles.count)
        #expect(shipped.errorCount == 0 && shipped.warningCount == 0, "\(shipped.lines.joined(separator: "\n"))")

        // A library whose drill names a runbook that is not there.
        let fixture = try DrillFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(atPath: fixture.dir + "/drills", withIntermediateDirectories: true)
        let drill = try fixture.write("drills/outage.yaml", DrillFixture.smallOutage().replacingOccurrences(of: "runbook: fast-timeout", with: "runbook: downstream-timeout"))
        let report = try check.run(paths: [fixture.dir])
        #expect(report.runbookCount == 1 && report.drillCount == 1)
        #expect(report.exitCode == 1)
        let error = report.diagnostics.first { $0.isError }
        #expect(error?.file == drill)
        #expect(error?.message.contains("runbook 'downstream-timeout' does not exist") == true, "\(report.lines.joined(separator: "\n"))")
        #expect(error?.line == 34, "points at the step's runbook line")
    }
}

extension Tag {
    /// Tests that run the shipped drill files.
    @Tag static var shipped: Self
}
