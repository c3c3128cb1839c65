# SPDX-FileCopyrightText: 2026 The egresskit Authors
# SPDX-License-Identifier: Apache-2.0
"""Assume-role chain conformance scenario.

Drives an STS and EC2 endpoint through boto3: long-term keys assume
egress-b (which requires an external ID), then egress-c (which trusts
egress-b only), and prints what it observed as one JSON object. Usage:
chain.py ENDPOINT.
"""

import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ROLE_B = "arn:aws:iam::111111111111:role/egress-b"
ROLE_C = "arn:aws:iam::222222222222:role/egress-c"
ROLE_LONG = "arn:aws:iam::222222222222:role/long"
EXTERNAL_ID = "ext-b-4711"


def client(service, endpoint, creds):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
        **creds,
    )


def assume(endpoint, creds, role, **kwargs):
    """Returns the session's credentials, or the STS error code."""
    try:
        out = client("sts", endpoint, creds).assume_role(RoleArn=role, RoleSessionName="conformance", **kwargs)
    except ClientError as e:
        return None, e.response["Error"]["Code"]
    c = out["Credentials"]
    return {
        "aws_access_key_id": c["AccessKeyId"],
        "aws_secret_access_key": c["SecretAccessKey"],
        "aws_session_token": c["SessionToken"],
    }, ""


def main(endpoint):
    base = {"aws_access_key_id": "AKIDCONFORMANCE", "aws_secret_access_key": "conformance"}
    obs = {}
    me = client("sts", endpoint, base).get_caller_identity()
    obs["BaseIsUser"] = ":user/" in me["Arn"]

    b, obs["AssumeB"] = assume(endpoint, base, ROLE_B, ExternalId=EXTERNAL_ID)
    c, obs["AssumeCFromB"] = assume(endpoint, b, ROLE_C)
    obs["AccountOfC"] = client("sts", endpoint, c).get_caller_identity()["Account"]
    obs["ArnOfC"] = client("sts", endpoint, c).get_caller_identity()["Arn"]
    _, obs["WrongExternalID"] = assume(endpoint, base, ROLE_B, ExternalId="wrong-id")
    _, obs["NoExternalID"] = assume(endpoint, base, ROLE_B)
    _, obs["UntrustedPrincipal"] = assume(endpoint, base, ROLE_C)
    _, obs["ChainedOverAnHour"] = assume(endpoint, b, ROLE_LONG, DurationSeconds=7200)

    vpc = client("ec2", endpoint, c).create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]
    obs["VpcOwner"] = vpc["OwnerId"]
    seen_by_b = [v["VpcId"] for v in client("ec2", endpoint, b).describe_vpcs()["Vpcs"]]
    obs["VpcInvisibleToB"] = vpc["VpcId"] not in seen_by_b
    print(json.dumps(obs))


if __name__ == "__main__":
    main(sys.argv[1])
