import SluiceCore

/// libFuzzer entry point: bytes as a duration into `TimeSpan.parse` (and rates, guard
/// conditions); a parsed duration must print back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimeSpan(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let span = try? TimeSpan.parse(text) {
        if span.millis < 0 || (try? TimeSpan.parse(span.description)) != span { fatalError("'\(text)' → \(span.millis) ms does not round-trip") }
    }
    _ = try? RunbookBatch.parseRate(text)
    _ = try? GuardCondition.parse(text)
    return 0
}
