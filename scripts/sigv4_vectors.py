#!/usr/bin/env python3
"""Generate SigV4 test vectors for Sluice's signer with botocore's own SigV4Auth.

Each vector is a request as Sluice's SQS client sends it (POST, AWS JSON 1.0 headers, a
body), signed by botocore at a fixed time. The Swift tests sign the same request and must
produce the same canonical request, string to sign and Authorization header.

Usage: python3 scripts/sigv4_vectors.py > Tests/SluiceSQSTests/Fixtures/sigv4-vectors.json
"""

import datetime
import hashlib
import json
from unittest import mock

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+sluice+test=="

JSON_HEADERS = {"Content-Type": "application/x-amz-json-1.0"}

CASES = [
    # name, region, url, target op, body, token?, content sha header?, time
    ("list-queues-us-east-1", "us-east-1", "https://sqs.us-east-1.amazonaws.com/", "ListQueues",
     {"MaxResults": 1000}, False, False, "2015-08-30T12:36:00"),
    ("list-queues-with-token", "us-east-1", "https://sqs.us-east-1.amazonaws.com/", "ListQueues",
     {"MaxResults": 1000, "NextToken": "abc/def+ghi=="}, True, False, "2015-08-30T12:36:00"),
    ("get-queue-url-eu-west-1", "eu-west-1", "https://sqs.eu-west-1.amazonaws.com/", "GetQueueUrl",
     {"QueueName": "orders-dlq"}, False, False, "2024-02-29T23:59:59"),
    ("send-batch-ap-southeast-2-token", "ap-southeast-2", "https://sqs.ap-southeast-2.amazonaws.com/",
     "SendMessageBatch",
     {"QueueUrl": "https://sqs.ap-southeast-2.amazonaws.com/123456789012/orders",
      "Entries": [{"Id": "0", "MessageBody": "{\"order\": 42, \"note\": \"caf\u00e9 \u2603\"}",
                   "MessageAttributes": {"ErrorType": {"DataType": "String", "StringValue": "Timeout"}}},
                  {"Id": "1", "MessageBody": "plain text   with   spaces\nand a newline"}]},
     True, False, "2026-11-23T08:58:15"),
    ("receive-localhost-port", "us-west-2", "http://127.0.0.1:5000/", "ReceiveMessage",
     {"QueueUrl": "http://127.0.0.1:5000/123456789012/orders-dlq", "MaxNumberOfMessages": 10,
      "WaitTimeSeconds": 0, "VisibilityTimeout": 300, "MessageSystemAttributeNames": ["All"],
      "MessageAttributeNames": ["All"]}, False, False, "2025-01-01T00:00:00"),
    ("delete-batch-content-sha256", "us-east-1", "https://sqs.us-east-1.amazonaws.com/",
     "DeleteMessageBatch",
     {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/orders-dlq",
      "Entries": [{"Id": "0", "ReceiptHandle": "AQEB+abc/xyz=="}]}, True, True, "2019-06-01T07:08:09"),
    ("empty-body-gov-region", "us-gov-west-1", "https://sqs.us-gov-west-1.amazonaws.com/", "ListQueues",
     None, False, False, "2020-12-31T23:59:59"),
    ("queue-path-endpoint", "eu-central-1", "http://localhost:4566/some%20prefix/./x/", "GetQueueAttributes",
     {"QueueUrl": "http://localhost:4566/000000000000/a", "AttributeNames": ["All"]}, False, False,
     "2023-03-04T05:06:07"),
]


def sign(url, region, service, headers, body, token, content_sha, when):
    creds = Credentials(ACCESS_KEY, SECRET_KEY, TOKEN if token else None)
    request = AWSRequest(method="POST", url=url, data=body, headers=dict(headers))
    if content_sha:
        request.headers["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()
    auth = botocore.auth.SigV4Auth(creds, service, region)
    moment = datetime.datetime.strptime(when, "%Y-%m-%dT%H:%M:%S")
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=moment):
        auth.add_auth(request)
    # Recompute the intermediate strings without the Authorization header the signing added.
    authorization = request.headers["Authorization"]
    del request.headers["Authorization"]
    canonical = auth.canonical_request(request)
    string_to_sign = auth.string_to_sign(request, canonical)
    request.headers["Authorization"] = authorization
    return request, canonical, string_to_sign


def main():
    vectors = []
    for name, region, url, op, payload, token, content_sha, when in CASES:
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = [("Content-Type", JSON_HEADERS["Content-Type"]), ("X-Amz-Target", "AmazonSQS." + op)]
        request, canonical, sts = sign(url, region, "sqs", headers, body, token, content_sha, when)
        millis = int(datetime.datetime.strptime(when, "%Y-%m-%dT%H:%M:%S")
                     .replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)
        vectors.append({
            "name": name,
            "method": "POST",
            "url": url,
            "region": region,
            "service": "sqs",
            "accessKeyId": ACCESS_KEY,
            "secretAccessKey": SECRET_KEY,
            "sessionToken": TOKEN if token else None,
            "includeContentSHA256": content_sha,
            "timeMillis": millis,
            "headers": [list(h) for h in headers],
            "body": body.decode("utf-8"),
            "expected": {
                "canonicalRequest": canonical,
                "stringToSign": sts,
                "authorization": request.headers["Authorization"],
                "amzDate": request.headers["X-Amz-Date"],
            },
        })
    print(json.dumps({"generator": "botocore " + botocore.__version__ + " SigV4Auth", "vectors": vectors},
                     indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
