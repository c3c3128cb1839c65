# SPDX-FileCopyrightText: 2026 The egresskit Authors
# SPDX-License-Identifier: Apache-2.0
"""NAT gateway conformance scenario.

Drives an EC2 endpoint through boto3 (the AWS CLI's client library) and
prints what it observed as one JSON object. Usage: scenario.py ENDPOINT.
"""

import json
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

UNKNOWN_NAT = "nat-0123456789abcdef0"


def error_code(call):
    """Runs call and returns "" on success, or the EC2 error code."""
    try:
        call()
        return ""
    except ClientError as e:
        return e.response["Error"]["Code"]
    except Exception as e:  # moto answers some calls with an HTML page
        return "unparseable: " + type(e).__name__


def main(endpoint):
    ec2 = boto3.client(
        "ec2",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIDCONFORMANCE",
        aws_secret_access_key="conformance",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    obs = {}

    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    eips = [ec2.allocate_address(Domain="vpc")["AllocationId"] for _ in range(4)]

    created = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=eips[0], ClientToken="tok-a")
    nat = created["NatGateway"]["NatGatewayId"]
    obs["CreateState"] = created["NatGateway"]["State"]
    obs["CreateEchoesClientToken"] = created.get("ClientToken") == "tok-a"

    again = {}
    obs["SameTokenRetry"] = error_code(lambda: again.update(
        ec2.create_nat_gateway(SubnetId=subnet, AllocationId=eips[0], ClientToken="tok-a")))
    obs["SameTokenSameGateway"] = again.get("NatGateway", {}).get("NatGatewayId") == nat
    obs["SameTokenOtherParameters"] = error_code(
        lambda: ec2.create_nat_gateway(SubnetId=subnet, AllocationId=eips[1], ClientToken="tok-a"))
    obs["PublicWithoutAllocation"] = error_code(lambda: ec2.create_nat_gateway(SubnetId=subnet))
    obs["PrivateWithAllocation"] = error_code(
        lambda: ec2.create_nat_gateway(SubnetId=subnet, ConnectivityType="private", AllocationId=eips[3]))
    private = ec2.create_nat_gateway(SubnetId=subnet, ConnectivityType="private")["NatGateway"]
    obs["PrivateConnectivityType"] = private.get("ConnectivityType", "")

    def state(nat_id):
        return ec2.describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"][0]["State"]

    def wait_for(nat_id, want):
        deadline = time.time() + 20
        while time.time() < deadline:
            if state(nat_id) == want:
                return want
            time.sleep(0.1)
        return state(nat_id)

    obs["StateEventually"] = wait_for(nat, "available")

    def associated(allocation_id):
        a = ec2.describe_addresses(AllocationIds=[allocation_id])["Addresses"][0]
        return bool(a.get("AssociationId")) and bool(a.get("NetworkInterfaceId")) and bool(a.get("PrivateIpAddress"))

    obs["AddressAssociatedWhileAvailable"] = associated(eips[0])

    # An address held by a gateway cannot be released.
    ec2.create_nat_gateway(SubnetId=subnet, AllocationId=eips[2])
    obs["ReleaseAddressInUse"] = error_code(lambda: ec2.release_address(AllocationId=eips[2]))

    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    obs["CreateRoute"] = error_code(
        lambda: ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat))
    obs["DuplicateRoute"] = error_code(
        lambda: ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat))
    obs["RouteToUnknownGateway"] = error_code(
        lambda: ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="192.168.0.0/16", NatGatewayId=UNKNOWN_NAT))

    # Bad input: what EC2 refuses, and with which code. CreateNatGateway's
    # request bucket refills at 1 per second: let it.
    time.sleep(3)
    obs["UnknownSubnet"] = error_code(
        lambda: ec2.create_nat_gateway(SubnetId="subnet-0123456789abcdef0", AllocationId=eips[3]))
    obs["UnknownAllocation"] = error_code(
        lambda: ec2.create_nat_gateway(SubnetId=subnet, AllocationId="eipalloc-0123456789abcdef0"))
    obs["UnknownVpc"] = error_code(
        lambda: ec2.create_nat_gateway(AvailabilityMode="regional", VpcId="vpc-0123456789abcdef0"))
    obs["AddressOutsideSubnet"] = error_code(
        lambda: ec2.create_nat_gateway(SubnetId=subnet, ConnectivityType="private", PrivateIpAddress="10.0.9.9"))
    obs["RouteInsideVpc"] = error_code(
        lambda: ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="10.0.5.0/24", NatGatewayId=nat))
    obs["RouteToUnknownPrefixList"] = error_code(
        lambda: ec2.create_route(RouteTableId=rtb, DestinationPrefixListId="pl-0123456789abcdef0", NatGatewayId=nat))
    obs["RouteIPv6WithoutIPv6Block"] = error_code(
        lambda: ec2.create_route(RouteTableId=rtb, DestinationIpv6CidrBlock="::/0", NatGatewayId=nat))
    obs["RouteInUnknownTable"] = error_code(
        lambda: ec2.create_route(RouteTableId="rtb-0123456789abcdef0", DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat))

    ec2.create_tags(Resources=[nat], Tags=[{"Key": "env", "Value": "conformance"}])
    tagged = ec2.describe_nat_gateways(Filter=[{"Name": "tag:env", "Values": ["conformance"]}])["NatGateways"]
    obs["TagFilterFindsOnlyTagged"] = [n["NatGatewayId"] for n in tagged] == [nat]

    ec2.delete_nat_gateway(NatGatewayId=nat)
    obs["StateRightAfterDelete"] = state(nat)
    obs["AddressAssociatedWhileDeleting"] = associated(eips[0])
    obs["StateAfterDeleteEventually"] = wait_for(nat, "deleted")
    obs["AddressAssociatedAfterDeleted"] = associated(eips[0])

    routes = ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]["Routes"]
    obs["RouteStateAfterDeleted"] = next(
        (r["State"] for r in routes if r.get("NatGatewayId") == nat), "missing")

    obs["DeleteDeletedGateway"] = error_code(lambda: ec2.delete_nat_gateway(NatGatewayId=nat))
    described = {}
    obs["DescribeUnknownGateway"] = error_code(
        lambda: described.update(ec2.describe_nat_gateways(NatGatewayIds=[UNKNOWN_NAT])))
    if not obs["DescribeUnknownGateway"]:
        obs["DescribeUnknownGateway"] = "empty list" if not described["NatGateways"] else "listed"
    obs["DeleteUnknownGateway"] = error_code(lambda: ec2.delete_nat_gateway(NatGatewayId=UNKNOWN_NAT))
    obs["DescribeDryRun"] = error_code(lambda: ec2.describe_nat_gateways(DryRun=True))

    json.dump(obs, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
