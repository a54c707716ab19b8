#!/usr/bin/env python3
"""The baseline for Sluice's SQS redrive benchmark: a plain boto3 receive/send/delete loop.

It moves every message of a DLQ back to its source queue the way a hand-written script would
(receive 10 with all attributes, SendMessageBatch to the source, DeleteMessageBatch from the
DLQ), with no filtering, pacing or journal, and prints one JSON line with the throughput.

    python3 scripts/boto3_redrive_baseline.py --endpoint-url http://127.0.0.1:5000 \
        --dlq orders-dlq --source orders [--fill 1000]

--fill N first creates both queues if needed and puts N messages into the DLQ, so the
benchmark executable can run this script and Sluice's redrive on identical input.
"""

import argparse
import json
import os
import sys
import time

import boto3


def client(endpoint, region):
    return boto3.client(
        "sqs",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
    )


def fill(sqs, dlq_url, count):
    for start in range(0, count, 10):
        entries = [
            {
                "Id": str(i),
                "MessageBody": json.dumps({"order": start + i, "pad": "x" * 150}),
                "MessageAttributes": {"ErrorType": {"DataType": "String", "StringValue": "Timeout"}},
            }
            for i in range(min(10, count - start))
        ]
        sqs.send_message_batch(QueueUrl=dlq_url, Entries=entries)


def redrive(sqs, dlq_url, source_url):
    moved = 0
    empty = 0
    while empty < 2:
        got = sqs.receive_message(
            QueueUrl=dlq_url,
            MaxNumberOfMessages=10,
            VisibilityTimeout=60,
            WaitTimeSeconds=0,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not got:
            empty += 1
            continue
        empty = 0
        entries = []
        for i, m in enumerate(got):
            entry = {"Id": str(i), "MessageBody": m["Body"]}
            if m.get("MessageAttributes"):
                entry["MessageAttributes"] = m["MessageAttributes"]
            entries.append(entry)
        sent = sqs.send_message_batch(QueueUrl=source_url, Entries=entries)
        ok = {e["Id"] for e in sent.get("Successful", [])}
        deletes = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got) if str(i) in ok]
        if deletes:
            sqs.delete_message_batch(QueueUrl=dlq_url, Entries=deletes)
        moved += len(deletes)
    return moved


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", required=True)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--dlq", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--fill", type=int, default=0)
    args = parser.parse_args()

    sqs = client(args.endpoint_url, args.region)
    if args.fill:
        dlq_url = sqs.create_queue(QueueName=args.dlq)["QueueUrl"]
        sqs.create_queue(QueueName=args.source)
        fill(sqs, dlq_url, args.fill)
    dlq_url = sqs.get_queue_url(QueueName=args.dlq)["QueueUrl"]
    source_url = sqs.get_queue_url(QueueName=args.source)["QueueUrl"]

    start = time.perf_counter()
    moved = redrive(sqs, dlq_url, source_url)
    elapsed = time.perf_counter() - start
    print(json.dumps({
        "tool": "boto3 loop",
        "moved": moved,
        "seconds": round(elapsed, 3),
        "messages_per_second": round(moved / elapsed, 1) if elapsed > 0 else None,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
