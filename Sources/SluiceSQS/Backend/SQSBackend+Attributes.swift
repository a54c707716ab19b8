import Foundation
import SluiceCore

extension SQSBackend {
    /// A queue's spec from its SQS attributes (`VisibilityTimeout`, `MessageRetentionPeriod`,
    /// `DelaySeconds`, `RedrivePolicy`); missing or odd values fall back to SQS's defaults.
    public static func spec(name: String, attributes: [String: String]) -> QueueSpec {
        func seconds(_ key: String) -> TimeSpan? {
            attributes[key].flatMap { Int64($0) }.map { TimeSpan.seconds($0) }
        }
        return QueueSpec(
            name: name,
            visibilityTimeout: seconds("VisibilityTimeout") ?? QueueSpec.defaultVisibilityTimeout,
            retention: seconds("MessageRetentionPeriod") ?? QueueSpec.defaultRetention,
            delay: seconds("DelaySeconds") ?? .zero,
            redrivePolicy: attributes["RedrivePolicy"].flatMap(redrivePolicy(json:))
        )
    }

    /// Reads `{"deadLetterTargetArn": "arn:aws:sqs:…:orders-dlq", "maxReceiveCount": "5"}`
    /// (the count may be a string or a number); nil when it is not such a policy.
    public static func redrivePolicy(json: String) -> RedrivePolicy? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let arn = object["deadLetterTargetArn"] as? String,
              let dlq = arn.split(separator: ":").last.map(String.init), !dlq.isEmpty
        else { return nil }
        let count: Int?
        switch object["maxReceiveCount"] {
        case let n as Int: count = n
        case let s as String: count = Int(s)
        case let d as Double: count = Int(d)
        default: count = nil
        }
        guard let count else { return nil }
        return RedrivePolicy(deadLetterQueue: dlq, maxReceiveCount: count)
    }
}
