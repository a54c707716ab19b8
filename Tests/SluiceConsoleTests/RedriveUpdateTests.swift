import SluiceConsole
import SluiceCore
import Testing

/// The redrive dialog, the progress screen and the simulation keys, as key sequences into state.
@Suite("update: redrive dialog, progress, simulation keys")
struct RedriveUpdateTests {
    @Test("R in the browser opens the dialog for the filter and asks for the runbooks")
    func open() {
        var state = Fixtures.browser()
        _ = press(&state, [.char("/")] + Key.typing("Timeout >5m") + [.enter])
        let effects = press(&state, [.char("R")])
        #expect(state.screen == .redrive)
        #expect(effects == [.loadRunbooks(dlq: "orders-dlq")])
        #expect(state.redriveDialog?.filter.errorTypes == ["Timeout"])
        #expect(state.redriveDialog?.step == .loadingRunbooks)
    }

    @Test("marked messages become the selection the plan is limited to")
    func selection() {
        var state = Fixtures.browser()
        _ = press(&state, [.char(" "), .char(" "), .char("R")])
        #expect(state.redriveDialog?.selection.count == 2)
        _ = state.apply(.runbooksLoaded(dlq: "orders-dlq", Fixtures.choices))
        let effects = press(&state, [.enter])
        guard case .planRedrive(let dlq, let id, _, let selection, _)? = effects.first else {
            Issue.record("expected a plan request, got \(effects)")
            return
        }
        #expect(dlq == "orders-dlq" && id == "downstream-timeout" && selection.count == 2)
        #expect(state.redriveDialog?.step == .planning)
    }

    @Test("no applicable runbook says so and what to do")
    func noRunbooks() {
        var state = Fixtures.browser()
        _ = press(&state, [.char("R")])
        _ = state.apply(.runbooksLoaded(dlq: "orders-dlq", RunbookChoices(directory: "runbooks", applicable: [], otherCount: 2)))
        #expect(state.redriveDialog?.problem?.contains("no runbook in runbooks applies to orders-dlq (2 cover other DLQs)") == true)
        #expect(press(&state, [.enter]).isEmpty)
        let text = Console.view(state, size: .comfortable).text
        #expect(text.contains("no runbook in runbooks applies"), "\(text)")
    }

    @Test("ack, then the move count, then the discard count start the job; wrong counts are refused")
    func confirm() {
        var state = Fixtures.dialog()
        let plan = Fixtures.plan()
        #expect(state.redriveDialog?.step == .review)
        #expect(plan.moveCount == 52 && plan.discardCount == 3)
        _ = press(&state, [.enter])
        #expect(state.redriveDialog?.step == .acknowledge)
        // q and R type into the field instead of quitting or reopening.
        #expect(press(&state, Key.typing("qR")).isEmpty)
        _ = press(&state, [.backspace, .backspace, .enter])
        #expect(state.redriveDialog?.field?.problem?.contains("at least 8 characters") == true)
        _ = press(&state, Key.typing("payments API restored\n"))
        #expect(state.redriveDialog?.step == .confirmMoves)
        #expect(state.redriveDialog?.ack == "payments API restored")
        _ = press(&state, Key.typing("50\n"))
        #expect(state.redriveDialog?.step == .confirmMoves)
        #expect(state.redriveDialog?.field?.problem?.contains("does not match 52") == true)
        _ = press(&state, Key.typing("52\n"))
        #expect(state.redriveDialog?.step == .confirmDiscards)
        let effects = press(&state, Key.typing("3\n"))
        #expect(effects == [.startRedrive(plan, ack: "payments API restored")])
        #expect(state.screen == .progress)
        #expect(state.runningJobs == 1)
        #expect(state.browser?.marked.isEmpty == true)
    }

    @Test("esc in a field goes back to the plan; esc in the dialog releases the plan")
    func cancel() {
        var state = Fixtures.dialog()
        _ = press(&state, [.enter, .escape])
        #expect(state.redriveDialog?.step == .review)
        #expect(state.redriveDialog?.field == nil)
        let effects = press(&state, [.escape])
        #expect(effects == [.releasePlan(jobId: "rd-00000000abcd")])
        #expect(state.redriveDialog == nil)
        #expect(state.screen == .browser)
    }

    @Test("choosing another runbook drops the plan; a late plan for it is released")
    func switchRunbook() {
        var state = Fixtures.dialog()
        #expect(press(&state, [.char("j")]) == [.releasePlan(jobId: "rd-00000000abcd")])
        #expect(state.redriveDialog?.runbook?.id == "poison-validation")
        #expect(state.redriveDialog?.currentPlan == nil)
        #expect(state.apply(.planMade(generation: 99, Fixtures.plan(jobId: "rd-late"))) == [.releasePlan(jobId: "rd-late")])
    }

    @Test("a refused plan is shown in the dialog, not as a crash")
    func planFailure() {
        var state = Fixtures.browser()
        _ = press(&state, [.char("R")])
        _ = state.apply(.runbooksLoaded(dlq: "orders-dlq", Fixtures.choices))
        let effect = press(&state, [.enter])[0]
        _ = state.apply(.failed(effect, .refused("the runbook's filter and yours select nothing in common", fix: "widen your filter")))
        #expect(state.redriveDialog?.step == .choose)
        let text = Console.view(state, size: .comfortable).text
        #expect(text.contains("nothing in common"), "\(text)")
    }

    @Test("p pauses and resumes, a asks before aborting, tab cycles jobs")
    func progressKeys() {
        var state = Fixtures.progress()
        let id = "rd-00000000abcd"
        #expect(press(&state, [.char("p")]) == [.controlRedrive(jobId: id, .pause)])
        _ = state.apply(.redrive(jobId: id, .paused(RedriveProgress(jobId: id, dlq: "orders-dlq", destination: "orders", state: .paused,
                                                                      total: 55, moved: 20, reason: "paused by the operator", updatedAt: Fixtures.now))))
        #expect(press(&state, [.char("p")]) == [.controlRedrive(jobId: id, .resume)])
        #expect(press(&state, [.char("a")]).isEmpty)
        #expect(state.confirmingAbort == id)
        #expect(Console.view(state, size: .comfortable).text.contains("Abort redrive \(id)?"))
        #expect(press(&state, [.char("n")]).isEmpty)
        #expect(state.confirmingAbort == nil)
        guard case .controlRedrive(_, .abort)? = press(&state, [.char("a"), .char("y")]).first else {
            Issue.record("y did not abort")
            return
        }
    }

    @Test("jobs keep running across screens; w comes back; the dashboard lists them")
    func jobsAcrossScreens() {
        var state = Fixtures.progress()
        _ = press(&state, [.char("D")])
        #expect(state.screen == .dashboard)
        #expect(Console.view(state, size: Size(width: 200, height: 50)).text.contains("rd-00000000abcd"))
        _ = press(&state, [.char("w")])
        #expect(state.screen == .progress)
        let finished = RedriveProgress(jobId: "rd-00000000abcd", dlq: "orders-dlq", destination: "orders", state: .completed,
                                       total: 55, moved: 52, discarded: 3, batches: 6, updatedAt: Fixtures.now)
        _ = state.apply(.redrive(jobId: "rd-00000000abcd", .finished(finished)))
        #expect(state.runningJobs == 0)
        #expect(state.events.last?.text.contains("completed: moved 52, discarded 3") == true)
        #expect(press(&state, [.char("q")]) == [.quit])
    }

    @Test("a job that fails is left interrupted and says how to resume")
    func jobFailure() {
        var state = Fixtures.progress()
        _ = state.apply(.redriveFailed(jobId: "rd-00000000abcd", .conflict("another run holds orders-dlq")))
        #expect(state.runningJobs == 0)
        #expect(state.shownJob?.progress.state == .interrupted)
        #expect(Console.view(state, size: .comfortable).text.contains("sluice redrive --resume rd-00000000abcd"))
    }

    @Test("simulation keys: P pauses, . steps only while paused, < and > walk 1, 10, 60")
    func simulationKeys() {
        var state = Fixtures.dashboard()
        #expect(press(&state, [.char("P")]).isEmpty)
        state.hasSimulation = true
        state.simulation = SimulationStatus(name: "downstream-outage", mode: "live", elapsed: .minutes(12), duration: .hours(1),
                                            speed: 1, isPaused: false, isFinished: false)
        #expect(press(&state, [.char(".")]).isEmpty)
        #expect(state.notice?.text.contains("press P to pause") == true)
        #expect(press(&state, [.char("P")]) == [.simulation(.setPaused(true))])
        #expect(press(&state, [.char(".")]) == [.simulation(.step)])
        #expect(press(&state, [.char(">")]) == [.simulation(.setSpeed(10))])
        #expect(press(&state, [.char(">")]) == [.simulation(.setSpeed(60))])
        #expect(press(&state, [.char(">")]).isEmpty)
        #expect(press(&state, [.char("<")]) == [.simulation(.setSpeed(10))])
        #expect(Console.view(state, size: .comfortable).text.contains("drill downstream-outage live 12m/1h 10x PAUSED"))
        #expect(state.apply(.tick(Fixtures.now)).contains(.loadSimulation) == false) // one read in flight at a time
        _ = state.apply(.simulationLoaded(SimulationStatus(name: "downstream-outage", mode: "live", elapsed: .minutes(13), speed: 10,
                                                            isPaused: false, isFinished: false)))
        #expect(state.apply(.tick(Fixtures.now)).contains(.loadSimulation))
        _ = press(&state, [.char("?")])
        #expect(Console.view(state, size: Size(width: 100, height: 40)).text.contains("pause/resume simulated time"))
    }
}
