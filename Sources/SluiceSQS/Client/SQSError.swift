import SluiceCore

/// A failed SQS call, typed from the response's `__type` (or `x-amzn-query-error`) and status.
///
/// Never holds request headers or credentials: the message is the server's text after
/// ``AWSCredentials/redact(_:)``, cut to a readable length.
public struct SQSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure, which decides retrying and the `SluiceError` it becomes.
    public enum Kind: String, Sendable, Hashable {
        /// Too many requests (`ThrottlingException`, `RequestThrottled`, 429). Retried.
        case throttling
        /// The keys are wrong, expired, or lack permission. Not retried.
        case accessDenied
        /// The queue does not exist (`QueueDoesNotExist`, `AWS.SimpleQueueService.NonExistentQueue`).
        case nonExistentQueue
        /// The queue exists with other attributes (`QueueNameExists`, `QueueAlreadyExists`).
        case queueAlreadyExists
        /// A parameter is wrong (`InvalidParameterValue`, `InvalidAttributeName`, batch errors…).
        case invalidParameter
        /// A receipt handle is not valid or no longer current.
        case invalidReceipt
        /// The server failed (5xx, `InternalError`, `ServiceUnavailable`). Retried.
        case serverError
        /// The connection failed or broke before a response. Retried.
        case transport
        /// No response within the attempt's time limit. Retried.
        case timeout
        /// The response could not be read as SQS JSON.
        case invalidResponse
        /// Any other error code.
        case other
    }

    /// The kind.
    public var kind: Kind
    /// The SQS operation, e.g. `SendMessageBatch`.
    public var operation: String
    /// The error code, e.g. `AWS.SimpleQueueService.NonExistentQueue`; empty for transport errors.
    public var code: String
    /// The server's message (redacted), or a description of the transport failure.
    public var message: String
    /// The HTTP status, nil when there was no response.
    public var status: Int?
    /// The queue the call was about, when known.
    public var queue: String?

    /// Creates an error.
    public init(_ kind: Kind, operation: String, code: String = "", message: String, status: Int? = nil, queue: String? = nil) {
        self.kind = kind
        self.operation = operation
        self.code = code
        self.message = String(message.prefix(400))
        self.status = status
        self.queue = queue
    }

    /// Whether trying again can help: throttling, server errors, broken connections and timeouts.
    public var isRetryable: Bool {
        switch kind {
        case .throttling, .serverError, .transport, .timeout: true
        default: false
        }
    }

    /// `SendMessageBatch on 'orders': ThrottlingException (HTTP 400): Rate exceeded`.
    public var description: String {
        var out = operation
        if let queue { out += " on '\(queue)'" }
        out += ": "
        if !code.isEmpty { out += code }
        if let status { out += " (HTTP \(status))" }
        if !message.isEmpty { out += (code.isEmpty && status == nil ? "" : ": ") + message }
        return out
    }

    /// Types an error code (the part after `#` in `__type`) and status.
    public static func kind(code: String, status: Int) -> Kind {
        let c = code.split(separator: "#").last.map(String.init) ?? code
        switch c {
        case "ThrottlingException", "RequestThrottled", "Throttling", "TooManyRequestsException",
             "KMS.ThrottlingException", "SlowDown", "RequestLimitExceeded":
            return .throttling
        case "AccessDenied", "AccessDeniedException", "InvalidClientTokenId", "UnrecognizedClientException",
             "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException", "InvalidSecurity",
             "MissingAuthenticationToken", "IncompleteSignature", "AuthFailure", "OptInRequired",
             "KMS.AccessDeniedException", "RequestExpired":
            return .accessDenied
        case "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "NonExistentQueue":
            return .nonExistentQueue
        case "QueueNameExists", "QueueAlreadyExists", "QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently":
            return .queueAlreadyExists
        case "ReceiptHandleIsInvalid", "InvalidReceiptHandle", "MessageNotInflight",
             "AWS.SimpleQueueService.MessageNotInflight", "InvalidReceiptHandleForQueue":
            return .invalidReceipt
        case "InternalError", "InternalFailure", "ServiceUnavailable", "ServiceUnavailableException":
            return .serverError
        default:
            break
        }
        if c.hasPrefix("Invalid") || c.hasPrefix("AWS.SimpleQueueService.") || c.hasSuffix("ValidationException")
            || c == "ValidationError" || c == "MissingParameter" || c == "UnsupportedOperation" || c == "OverLimit"
            || c == "BatchRequestTooLong" || c == "EmptyBatchRequest" || c == "TooManyEntriesInBatchRequest"
            || c == "BatchEntryIdsNotDistinct" || c == "InvalidBatchEntryId" || c == "InvalidMessageContents"
            || c == "InvalidAttributeName" || c == "InvalidAttributeValue" || c == "PurgeQueueInProgress" {
            return .invalidParameter
        }
        if status == 429 { return .throttling }
        if status >= 500 { return .serverError }
        if status == 401 || status == 403 { return .accessDenied }
        return .other
    }

    /// The error a person sees: what failed, where, and what to do.
    public var sluiceError: SluiceError {
        let what = description
        switch kind {
        case .nonExistentQueue:
            return .notFound(what, fix: "check the queue name and region; 'sluice queue list --sqs' shows the queues")
        case .queueAlreadyExists:
            return .conflict(what, fix: "use another name, or wait 60 s after deleting a queue before re-creating it")
        case .invalidParameter:
            return .badInput(what, fix: "fix the value the message names")
        case .invalidReceipt:
            return SluiceError(.staleReceipt, what, fix: "receive the message again and use the new receipt handle")
        case .accessDenied:
            return SluiceError(.remote, what, fix: "check the credentials (AWS_ACCESS_KEY_ID / AWS_PROFILE), that they have not expired, the machine's clock, and that the IAM policy allows sqs:\(operation)")
        case .throttling:
            return SluiceError(.remote, what, fix: "SQS is throttling; try again later or lower the batch rate")
        case .serverError:
            return SluiceError(.remote, what, fix: "SQS failed after retries; try again, and check the AWS Health Dashboard")
        case .transport, .timeout:
            return SluiceError(.remote, what, fix: "check that the endpoint is reachable (--endpoint-url, AWS_ENDPOINT_URL) and try again")
        case .invalidResponse:
            return SluiceError(.remote, what, fix: "the endpoint did not answer like SQS; check --endpoint-url")
        case .other:
            return SluiceError(.remote, what, fix: "see the SQS error code in the message")
        }
    }
}
