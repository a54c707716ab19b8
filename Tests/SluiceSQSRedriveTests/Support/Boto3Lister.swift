import Foundation
import SluiceTesting

/// Reads queues with boto3 — not with Sluice — so that what a redrive did is checked by an
/// independent SQS client.
///
/// Listing receives every message (all attributes) with a long visibility timeout, so each
/// message is seen once; call it only when the test no longer needs the queues as they were.
enum Boto3Lister {
    /// One message as boto3 saw it.
    struct Message: Decodable, Hashable {
        var id: String
        var body: String
        /// String values of the message attributes.
        var attributes: [String: String]
    }

    /// A `python3` on `PATH` that can import boto3, nil when there is none.
    static let python3 = MotoServer.python3(importing: "boto3")

    /// Whether `python3` can import boto3 here.
    static var isAvailable: Bool { python3 != nil }

    /// Every message of each queue, by queue name.
    /// - Parameters:
    ///   - expect: per queue, keep polling (up to `timeout` seconds) until at least this many
    ///     messages were seen — for messages that come back when a lease runs out.
    static func list(endpoint: String, queues: [String], expect: [String: Int] = [:], timeout: Double = 20) throws -> [String: [Message]] {
        let spec: [String: Any] = ["endpoint": endpoint, "queues": queues, "expect": expect, "timeout": timeout]
        let specText = String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python3 ?? "/usr/bin/python3")
        p.arguments = ["-c", script, specText]
        var env = ProcessInfo.processInfo.environment
        // boto3's own fake credentials: nothing of the test's secrets reaches this process.
        env["AWS_ACCESS_KEY_ID"] = "boto3-checker"
        env["AWS_SECRET_ACCESS_KEY"] = "boto3-checker"
        env.removeValue(forKey: "AWS_SESSION_TOKEN")
        env.removeValue(forKey: "AWS_PROFILE")
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Both pipes drained at once: a chatty stderr must not stall the script while stdout is read.
        let outText = ReadAll(out.fileHandleForReading), errText = ReadAll(err.fileHandleForReading)
        p.waitUntilExit()
        let output = outText.wait(), errors = errText.wait()
        guard p.terminationStatus == 0 else {
            throw CheckFailure("boto3 lister exited \(p.terminationStatus): \(errors.suffix(2000))")
        }
        return try JSONDecoder().decode([String: [Message]].self, from: Data(output.utf8))
    }

    static let script = #"""
import json, sys, time
import boto3

spec = json.loads(sys.argv[1])
sqs = boto3.client("sqs", endpoint_url=spec["endpoint"], region_name="us-east-1")
out = {}
for name in spec["queues"]:
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    want = spec["expect"].get(name, 0)
    deadline = time.monotonic() + spec["timeout"]
    seen = {}
    empties = 0
    while True:
        got = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=600, WaitTimeSeconds=0,
            MessageSystemAttributeNames=["All"], MessageAttributeNames=["All"],
        ).get("Messages", [])
        for m in got:
            seen[m["MessageId"]] = {
                "id": m["MessageId"],
                "body": m["Body"],
                "attributes": {k: v.get("StringValue", "") for k, v in m.get("MessageAttributes", {}).items()},
            }
        if got:
            empties = 0
            continue
        empties += 1
        if empties >= 2 and len(seen) >= want:
            break
        if time.monotonic() > deadline:
            break
        if len(seen) < want:
            time.sleep(0.25)
    out[name] = sorted(seen.values(), key=lambda m: (m["body"], m["id"]))
print(json.dumps(out))
"""#
}

/// A failed check with a message for the test report.
struct CheckFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
