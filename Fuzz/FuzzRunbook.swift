import SluiceRunbooks

/// libFuzzer entry point: bytes as runbook text into the runbook parser. An accepted runbook
/// must have no errors and a refused one must have at least one (the parser's own contract).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRunbook(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let result = RunbookParser.analyze(text: text, path: "fuzz.md")
    if (result.runbook != nil) != result.errors.isEmpty { fatalError("runbook accepted with errors, or refused without one") }
    return 0
}
