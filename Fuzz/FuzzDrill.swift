import SluiceDrills

/// libFuzzer entry point: bytes as drill YAML into `DrillParser.analyze` (runbooks resolved
/// against none: steps naming one are refused, which is fine for finding crashes).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDrill(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let result = DrillParser.analyze(text: text, path: "fuzz.yaml", runbooks: [])
    if (result.loaded != nil) != result.errors.isEmpty { fatalError("drill accepted with errors, or refused without one") }
    return 0
}
