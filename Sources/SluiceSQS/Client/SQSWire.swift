import Foundation

/// The AWS JSON 1.0 shapes of the SQS operations Sluice uses, spelled as the API spells them.
///
/// Internal: callers use ``SQSClient``'s typed methods. Binary values are `Data`, which
/// `JSONEncoder` writes as base64, as the protocol wants.
enum SQSWire {
    struct Empty: Codable {}

    struct ListQueuesRequest: Encodable {
        var QueueNamePrefix: String?
        var MaxResults: Int?
        var NextToken: String?
    }

    struct ListQueuesResponse: Decodable {
        var QueueUrls: [String]?
        var NextToken: String?
    }

    struct GetQueueUrlRequest: Encodable { var QueueName: String }
    struct QueueUrlResponse: Decodable { var QueueUrl: String }

    struct GetQueueAttributesRequest: Encodable {
        var QueueUrl: String
        var AttributeNames: [String]
    }

    struct GetQueueAttributesResponse: Decodable { var Attributes: [String: String]? }

    struct ListDeadLetterSourceQueuesRequest: Encodable {
        var QueueUrl: String
        var MaxResults: Int?
        var NextToken: String?
    }

    /// SQS spells this member `queueUrls`, in lower camel case, unlike every other list.
    struct ListDeadLetterSourceQueuesResponse: Decodable {
        var queueUrls: [String]?
        var QueueUrls: [String]?
        var NextToken: String?
    }

    struct CreateQueueRequest: Encodable {
        var QueueName: String
        var Attributes: [String: String]?
    }

    struct QueueUrlRequest: Encodable { var QueueUrl: String }

    struct AttributeValue: Codable {
        var DataType: String
        var StringValue: String?
        var BinaryValue: Data?
    }

    struct SendEntry: Encodable {
        var Id: String
        var MessageBody: String
        var DelaySeconds: Int?
        var MessageAttributes: [String: AttributeValue]?
        var MessageDeduplicationId: String?
        var MessageGroupId: String?
    }

    struct SendMessageBatchRequest: Encodable {
        var QueueUrl: String
        var Entries: [SendEntry]
    }

    struct ResultEntry: Decodable {
        var Id: String
        var MessageId: String?
    }

    struct FailedEntry: Decodable {
        var Id: String
        var SenderFault: Bool?
        var Code: String?
        var Message: String?
    }

    struct BatchResponse: Decodable {
        var Successful: [ResultEntry]?
        var Failed: [FailedEntry]?
    }

    struct ReceiveMessageRequest: Encodable {
        var QueueUrl: String
        /// The older name of `MessageSystemAttributeNames`; sent too for servers that know only it.
        var AttributeNames: [String]
        var MessageSystemAttributeNames: [String]
        var MessageAttributeNames: [String]
        var MaxNumberOfMessages: Int
        var VisibilityTimeout: Int?
        var WaitTimeSeconds: Int?
    }

    struct Message: Decodable {
        var MessageId: String
        var ReceiptHandle: String
        var Body: String?
        var Attributes: [String: String]?
        var MessageAttributes: [String: AttributeValue]?
    }

    struct ReceiveMessageResponse: Decodable { var Messages: [Message]? }

    struct DeleteEntry: Encodable {
        var Id: String
        var ReceiptHandle: String
    }

    struct DeleteMessageBatchRequest: Encodable {
        var QueueUrl: String
        var Entries: [DeleteEntry]
    }

    struct VisibilityEntry: Encodable {
        var Id: String
        var ReceiptHandle: String
        var VisibilityTimeout: Int
    }

    struct ChangeMessageVisibilityBatchRequest: Encodable {
        var QueueUrl: String
        var Entries: [VisibilityEntry]
    }

    /// An error body: `{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "…"}`.
    struct ErrorBody: Decodable {
        var __type: String?
        var code: String?
        var message: String?
        var Message: String?
    }
}
