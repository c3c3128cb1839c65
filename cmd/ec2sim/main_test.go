// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

func TestHelp(t *testing.T) {
	var cfg config
	var out bytes.Buffer
	app := newApp(&cfg).UsageWriter(&out).Writer(&out).Terminate(func(int) {})
	_, _ = app.Parse([]string{"--help"})
	for _, flag := range []string{"--listen", "--pending", "--deleting", "--retention", "--consistency", "--[no-]throttle", "--secret", "--speed", "--error-rate", "--latency"} {
		if !strings.Contains(out.String(), flag) {
			t.Errorf("--help does not mention %s:\n%s", flag, out.String())
		}
	}
}

func TestFaultFlags(t *testing.T) {
	type want struct {
		faults []ec2sim.Fault
		err    bool
	}
	cases := map[string]struct {
		reason string
		cfg    config
		want   want
	}{
		"None": {reason: "No flags, no faults.", want: want{faults: []ec2sim.Fault{}}},
		"Merged": {reason: "Rate and latency of one action make one fault.",
			cfg:  config{errorRates: []string{"CreateNatGateway=0.25"}, latencies: []string{"CreateNatGateway=2s", "*=10ms"}},
			want: want{faults: []ec2sim.Fault{{Action: "CreateNatGateway", ErrorRate: 0.25, Latency: 2 * time.Second}, {Action: "*", Latency: 10 * time.Millisecond}}}},
		"BadRate":    {reason: "A rate must be a number.", cfg: config{errorRates: []string{"CreateVpc=lots"}}, want: want{err: true}},
		"BadLatency": {reason: "A latency must be a duration.", cfg: config{latencies: []string{"CreateVpc"}}, want: want{err: true}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f, err := tc.cfg.faults()
			got := want{faults: f, err: err != nil}
			if err != nil {
				got.faults = nil
				tc.want.faults = nil
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	cases := map[string][]string{
		"UnknownFlag":  {"--bogus"},
		"BadDuration":  {"--pending", "soon"},
		"UnknownFault": {"--listen", "127.0.0.1:0", "--error-rate", "RunInstances=0.5"},
		"BadListen":    {"--listen", "not-an-address"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			if err := run(context.Background(), args, io.Discard); err == nil {
				t.Errorf("run(%v) succeeded, want an error", args)
			}
		})
	}
}

// start runs the command on a free port and returns its endpoint.
func start(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"--listen", "127.0.0.1:0"}, args...), pw)
		_ = pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the listen line: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	endpoint, ok := strings.CutPrefix(strings.TrimSpace(line), "ec2sim listening on ")
	if !ok {
		t.Fatalf("unexpected first line %q", line)
	}
	return endpoint
}

// TestDeletedThenPurgedSDK is the done-when scenario through the
// SDK: create, delete, deleting, deleted, then NatGatewayNotFound after the
// retention period.
func TestDeletedThenPurgedSDK(t *testing.T) {
	endpoint := start(t, "--pending", "100ms", "--deleting", "300ms", "--retention", "1s", "--secret", "s3cret")
	c := ec2.New(ec2.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDDEMO", "s3cret", "")})
	ctx := context.Background()
	v, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	sn, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24")})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: sn.Subnet.SubnetId, AllocationId: a.AllocationId})
	if err != nil {
		t.Fatal(err)
	}
	id := n.NatGateway.NatGatewayId
	if _, err := c.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: id}); err != nil {
		t.Fatal(err)
	}
	state := func() string {
		out, err := c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{*id}})
		if ae, ok := errors.AsType[smithy.APIError](err); ok {
			return ae.ErrorCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return string(out.NatGateways[0].State)
	}
	var seen []string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		s := state()
		if len(seen) == 0 || seen[len(seen)-1] != s {
			seen = append(seen, s)
		}
		if s == "NatGatewayNotFound" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if diff := cmp.Diff([]string{"deleting", "deleted", "NatGatewayNotFound"}, seen); diff != "" {
		t.Errorf("states seen: -want +got:\n%s", diff)
	}
	// A client with the wrong secret is refused.
	bad := ec2.New(ec2.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDDEMO", "wrong", "")})
	_, err = bad.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AuthFailure" {
		t.Errorf("wrong secret: got %v, want AuthFailure", err)
	}
}

// TestDeletedThenPurgedCLI is the same scenario through the AWS CLI.
func TestDeletedThenPurgedCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI (aws) is not installed")
	}
	// Each CLI call takes about a second, so the durations are longer here.
	endpoint := start(t, "--pending", "100ms", "--deleting", "4s", "--retention", "3s")
	cli := func(args ...string) (map[string]any, string) {
		cmd := exec.CommandContext(t.Context(), "aws", append([]string{"--endpoint-url", endpoint, "--output", "json", "ec2"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=AKIDCLI", "AWS_SECRET_ACCESS_KEY=x", "AWS_DEFAULT_REGION=us-east-1", "AWS_MAX_ATTEMPTS=1", "AWS_PAGER=")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return nil, strings.TrimSpace(stderr.String())
		}
		out := map[string]any{}
		if stdout.Len() > 0 {
			if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
				t.Fatalf("aws %v: %v: %s", args, err, stdout.String())
			}
		}
		return out, ""
	}
	must := func(args ...string) map[string]any {
		out, errText := cli(args...)
		if errText != "" {
			t.Fatalf("aws %v: %s", args, errText)
		}
		return out
	}
	vpc := must("create-vpc", "--cidr-block", "10.0.0.0/16")["Vpc"].(map[string]any)["VpcId"].(string)
	subnet := must("create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.1.0/24")["Subnet"].(map[string]any)["SubnetId"].(string)
	eip := must("allocate-address", "--domain", "vpc")["AllocationId"].(string)
	nat := must("create-nat-gateway", "--subnet-id", subnet, "--allocation-id", eip)["NatGateway"].(map[string]any)["NatGatewayId"].(string)
	must("delete-nat-gateway", "--nat-gateway-id", nat)
	var seen []string
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		out, errText := cli("describe-nat-gateways", "--nat-gateway-ids", nat)
		s := errText
		if errText == "" {
			s = out["NatGateways"].([]any)[0].(map[string]any)["State"].(string)
		}
		if len(seen) == 0 || seen[len(seen)-1] != s {
			seen = append(seen, s)
		}
		if errText != "" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	want := []string{"deleting", "deleted",
		"An error occurred (NatGatewayNotFound) when calling the DescribeNatGateways operation: NAT gateway " + nat + " was not found"}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("states seen through the AWS CLI: -want +got:\n%s", diff)
	}
}
