// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// observations is what testdata/scenario.py prints, one key per field.
type observations struct {
	CreateState                     string `json:"CreateState"`
	CreateEchoesClientToken         bool   `json:"CreateEchoesClientToken"`
	SameTokenRetry                  string `json:"SameTokenRetry"`
	SameTokenSameGateway            bool   `json:"SameTokenSameGateway"`
	SameTokenOtherParameters        string `json:"SameTokenOtherParameters"`
	PublicWithoutAllocation         string `json:"PublicWithoutAllocation"`
	PrivateWithAllocation           string `json:"PrivateWithAllocation"`
	PrivateConnectivityType         string `json:"PrivateConnectivityType"`
	StateEventually                 string `json:"StateEventually"`
	AddressAssociatedWhileAvailable bool   `json:"AddressAssociatedWhileAvailable"`
	ReleaseAddressInUse             string `json:"ReleaseAddressInUse"`
	CreateRoute                     string `json:"CreateRoute"`
	DuplicateRoute                  string `json:"DuplicateRoute"`
	RouteToUnknownGateway           string `json:"RouteToUnknownGateway"`
	TagFilterFindsOnlyTagged        bool   `json:"TagFilterFindsOnlyTagged"`
	StateRightAfterDelete           string `json:"StateRightAfterDelete"`
	AddressAssociatedWhileDeleting  bool   `json:"AddressAssociatedWhileDeleting"`
	StateAfterDeleteEventually      string `json:"StateAfterDeleteEventually"`
	AddressAssociatedAfterDeleted   bool   `json:"AddressAssociatedAfterDeleted"`
	RouteStateAfterDeleted          string `json:"RouteStateAfterDeleted"`
	DeleteDeletedGateway            string `json:"DeleteDeletedGateway"`
	DescribeUnknownGateway          string `json:"DescribeUnknownGateway"`
	DeleteUnknownGateway            string `json:"DeleteUnknownGateway"`
	DescribeDryRun                  string `json:"DescribeDryRun"`
	UnknownSubnet                   string `json:"UnknownSubnet"`
	UnknownAllocation               string `json:"UnknownAllocation"`
	UnknownVpc                      string `json:"UnknownVpc"`
	AddressOutsideSubnet            string `json:"AddressOutsideSubnet"`
	RouteInsideVpc                  string `json:"RouteInsideVpc"`
	RouteToUnknownPrefixList        string `json:"RouteToUnknownPrefixList"`
	RouteIPv6WithoutIPv6Block       string `json:"RouteIPv6WithoutIPv6Block"`
	RouteInUnknownTable             string `json:"RouteInUnknownTable"`
}

// documented is what AWS documents (shared/reference/ec2-api.md), and what
// ec2sim must answer.
var documented = observations{
	CreateState:                     "pending",
	CreateEchoesClientToken:         true,
	SameTokenRetry:                  "",
	SameTokenSameGateway:            true,
	SameTokenOtherParameters:        "IdempotentParameterMismatch",
	PublicWithoutAllocation:         "MissingParameter",
	PrivateWithAllocation:           "InvalidParameterCombination",
	PrivateConnectivityType:         "private",
	StateEventually:                 "available",
	AddressAssociatedWhileAvailable: true,
	ReleaseAddressInUse:             "AuthFailure",
	CreateRoute:                     "",
	DuplicateRoute:                  "RouteAlreadyExists",
	RouteToUnknownGateway:           "InvalidNatGatewayID.NotFound",
	TagFilterFindsOnlyTagged:        true,
	StateRightAfterDelete:           "deleting",
	AddressAssociatedWhileDeleting:  true,
	StateAfterDeleteEventually:      "deleted",
	AddressAssociatedAfterDeleted:   false,
	RouteStateAfterDeleted:          "blackhole",
	DeleteDeletedGateway:            "",
	DescribeUnknownGateway:          "NatGatewayNotFound",
	DeleteUnknownGateway:            "NatGatewayNotFound",
	DescribeDryRun:                  "DryRunOperation",
	UnknownSubnet:                   "InvalidSubnetID.NotFound",
	UnknownAllocation:               "InvalidElasticIpID.NotFound",
	UnknownVpc:                      "InvalidVpcID.NotFound",
	AddressOutsideSubnet:            "InvalidParameterValue",
	RouteInsideVpc:                  "InvalidParameterValue",
	RouteToUnknownPrefixList:        "InvalidPrefixListID.NotFound",
	RouteIPv6WithoutIPv6Block:       "InvalidParameterValue",
	RouteInUnknownTable:             "InvalidRouteTableID.NotFound",
}

// motoDiffers is what moto 5.2.1 answers where it differs from AWS. If moto
// changes, this test says so; docs/ec2sim.md lists the same differences.
func motoDiffers() observations {
	o := documented
	o.CreateState = "available"                                 // no pending state
	o.CreateEchoesClientToken = false                           // ClientToken ignored ...
	o.SameTokenRetry = "Resource.AlreadyAssociated"             // ... so a retry is a second create, refused at once
	o.SameTokenSameGateway = false                              //
	o.SameTokenOtherParameters = ""                             // no IdempotentParameterMismatch
	o.PublicWithoutAllocation = ""                              // a public gateway without an Elastic IP is accepted
	o.PrivateWithAllocation = ""                                // a private gateway with an Elastic IP is accepted
	o.ReleaseAddressInUse = ""                                  // an address in use is released
	o.RouteToUnknownGateway = ""                                // a route to a gateway that does not exist is accepted
	o.TagFilterFindsOnlyTagged = false                          // the tag:<key> filter is ignored
	o.StateRightAfterDelete = "deleted"                         // no deleting state
	o.AddressAssociatedAfterDeleted = true                      // the address stays associated after deletion
	o.RouteStateAfterDeleted = "active"                         // no blackhole
	o.DescribeUnknownGateway = "empty list"                     // an unknown ID is an empty list, not NatGatewayNotFound
	o.DeleteUnknownGateway = "unparseable: ResponseParserError" // an HTML 500 page
	o.DescribeDryRun = ""                                       // DryRun ignored
	o.UnknownAllocation = "InvalidAllocationID.NotFound"        // the code of DescribeAddresses, not CreateNatGateway's
	o.UnknownVpc = "InvalidSubnetID.NotFound"                   // no regional gateways: the missing subnet is refused
	o.AddressOutsideSubnet = ""                                 // a private address outside the subnet is accepted
	o.RouteInsideVpc = ""                                       // a route inside the VPC through a NAT gateway is accepted
	o.RouteToUnknownPrefixList = ""                             // a route to a prefix list that does not exist is accepted
	o.RouteIPv6WithoutIPv6Block = ""                            // an IPv6 route in a VPC without IPv6 is accepted
	return o
}

func requireBoto3(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed")
	}
	if err := exec.CommandContext(t.Context(), "python3", "-c", "import boto3").Run(); err != nil {
		t.Skip("boto3 is not installed for python3")
	}
}

func runScenario(t *testing.T, endpoint string) observations {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "python3", "testdata/scenario.py", endpoint)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("scenario against %s: %v\n%s", endpoint, err, stderr.String())
	}
	var o observations
	dec := json.NewDecoder(&stdout)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		t.Fatalf("scenario output %q: %v", stdout.String(), err)
	}
	return o
}

func TestScenarioAgainstEC2Sim(t *testing.T) {
	requireBoto3(t)
	sim, err := ec2sim.New(ec2sim.Options{Durations: ec2sim.Durations{Pending: 200 * time.Millisecond, Deleting: 1500 * time.Millisecond, Retention: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	hs := sim.NewHTTPTestServer()
	defer hs.Close()
	if diff := cmp.Diff(documented, runScenario(t, hs.URL)); diff != "" {
		t.Errorf("ec2sim differs from what AWS documents: -aws +ec2sim:\n%s", diff)
	}
}

func TestScenarioAgainstMoto(t *testing.T) {
	requireBoto3(t)
	if _, err := exec.LookPath("moto_server"); err != nil {
		t.Skip("moto_server is not installed")
	}
	endpoint := startMoto(t)
	got := runScenario(t, endpoint)
	if diff := cmp.Diff(motoDiffers(), got); diff != "" {
		t.Errorf("moto no longer differs from AWS as recorded: -recorded +moto:\n%s", diff)
	}
	if diff := cmp.Diff(documented, got); diff != "" {
		t.Logf("where moto differs from AWS: -aws +moto:\n%s", diff)
	}
}

// startMoto starts moto_server on a free loopback port and stops it when the
// test ends.
func startMoto(t *testing.T) string {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	cmd := exec.CommandContext(t.Context(), "moto_server", "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start moto_server: %v", err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	addr := "127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := (&net.Dialer{Timeout: time.Second}).DialContext(t.Context(), "tcp", addr)
		if err == nil {
			_ = c.Close()
			return "http://" + addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("moto_server did not listen on %s: %v\n%s", addr, err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
