// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

const okBody = `<?xml version="1.0" encoding="UTF-8"?><Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId></Response>`

func TestClientRetries(t *testing.T) {
	calls := map[string]func(context.Context, API) error{
		"AllocateAddress": func(ctx context.Context, api API) error {
			_, err := api.AllocateAddress(ctx, &ec2.AllocateAddressInput{})
			return err
		},
		"CreateRoute": func(ctx context.Context, api API) error {
			_, err := api.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String("rtb-1")})
			return err
		},
		"AssignPrivateNatGatewayAddress": func(ctx context.Context, api API) error {
			_, err := api.AssignPrivateNatGatewayAddress(ctx, &ec2.AssignPrivateNatGatewayAddressInput{NatGatewayId: aws.String("nat-1"), PrivateIpAddressCount: aws.Int32(1)})
			return err
		},
		"CreateNatGateway": func(ctx context.Context, api API) error {
			_, err := api.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String("subnet-1"), ClientToken: aws.String("t")})
			return err
		},
		"ReleaseAddress": func(ctx context.Context, api API) error {
			_, err := api.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String("eipalloc-1")})
			return err
		},
	}
	internal := response{status: http.StatusInternalServerError, body: ec2ErrorBody("InternalError")}
	throttled := response{status: http.StatusServiceUnavailable, body: ec2ErrorBody("RequestLimitExceeded")}
	ok := response{status: http.StatusOK, body: okBody}

	cases := map[string]struct {
		reason   string
		action   string
		first    response
		attempts int
		fails    bool
	}{
		"AllocateAddressAfterInternalError": {
			reason:   "An AllocateAddress answered with a 5xx may have been applied, and takes no token: it is not repeated, so no second address is made.",
			action:   "AllocateAddress",
			first:    internal,
			attempts: 1,
			fails:    true,
		},
		"AllocateAddressThrottled": {
			reason:   "A throttled AllocateAddress was refused before EC2 acted, so it is retried.",
			action:   "AllocateAddress",
			first:    throttled,
			attempts: 2,
		},
		"CreateRouteAfterInternalError": {
			reason:   "A repeated CreateRoute would answer RouteAlreadyExists for the route its first attempt made: it is not repeated.",
			action:   "CreateRoute",
			first:    internal,
			attempts: 1,
			fails:    true,
		},
		"AssignPrivateAfterInternalError": {
			reason:   "A repeated AssignPrivateNatGatewayAddress with a count would assign more addresses: it is not repeated.",
			action:   "AssignPrivateNatGatewayAddress",
			first:    internal,
			attempts: 1,
			fails:    true,
		},
		"CreateNatGatewayAfterInternalError": {
			reason:   "CreateNatGateway carries a ClientToken, so EC2 answers a repeat with the gateway it made: the standard retryer repeats it.",
			action:   "CreateNatGateway",
			first:    internal,
			attempts: 2,
		},
		"ReleaseAddressAfterInternalError": {
			reason:   "A repeated release does nothing more: the standard retryer repeats it.",
			action:   "ReleaseAddress",
			first:    internal,
			attempts: 2,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ep := newEndpoint().script(tc.action, tc.first, ok)
			srv := httptest.NewServer(ep)
			t.Cleanup(srv.Close)
			f := NewClientFactory(newKube(providerConfig(pcEndpoint(srv.URL)), credentialsSecret("1")).client())
			api, err := f.ClientFor(context.Background(), natGateway(), "eu-west-1")
			if err != nil {
				t.Fatal(err)
			}

			err = calls[tc.action](context.Background(), api)
			if diff := cmp.Diff(tc.fails, err != nil); diff != "" {
				t.Errorf("\n%s\n%s(...): -want failed, +got failed (error %v):\n%s", tc.reason, tc.action, err, diff)
			}
			if diff := cmp.Diff(tc.attempts, len(ep.seen())); diff != "" {
				t.Errorf("\n%s\n%s(...): -want attempts, +got attempts:\n%s", tc.reason, tc.action, diff)
			}
		})
	}
}

// TestAllocateAddressLostAnswer allocates an address through the provider's
// client against the EC2 simulator while the simulator loses the answer
// after allocating: the call fails and EC2 holds exactly one address, where
// the standard retryer alone would have allocated a second.
func TestAllocateAddressLostAnswer(t *testing.T) {
	ctx := context.Background()
	sim, err := ec2sim.New(ec2sim.Options{Faults: []ec2sim.Fault{{Action: "AllocateAddress", ErrorRate: 1, ErrorAfterApply: true, Times: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	hs := sim.NewHTTPTestServer()
	t.Cleanup(hs.Close)
	sdk := ec2.New(ec2.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(hs.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEGRESSKITTEST", "secret", ""),
		Retryer:      retry.NewStandard(),
	})
	api := NewAPI(sdk)

	if _, err := api.AllocateAddress(ctx, &ec2.AllocateAddressInput{}); !IsErrorCode(err, "InternalError") {
		t.Fatalf("AllocateAddress(...): got error %v, want the InternalError the simulator answered after allocating", err)
	}
	out, err := api.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(1, len(out.Addresses)); diff != "" {
		t.Errorf("addresses EC2 holds after a lost AllocateAddress answer: -want, +got:\n%s", diff)
	}
}

func TestUncertain(t *testing.T) {
	answered := func(status int) error {
		return &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
			Err:      &smithy.GenericAPIError{Code: "Any"},
		}
	}
	cases := map[string]struct {
		reason string
		err    error
		want   bool
	}{
		"None":        {reason: "No error is no doubt.", err: nil, want: false},
		"ServerError": {reason: "EC2 may have applied a request it answered with a 5xx.", err: answered(http.StatusInternalServerError), want: true},
		"Refused":     {reason: "EC2 applied no request it refused with a 4xx.", err: answered(http.StatusBadRequest), want: false},
		"ServerFault": {reason: "An API error of the server's fault may follow an applied request.", err: &smithy.GenericAPIError{Code: "InternalError", Fault: smithy.FaultServer}, want: true},
		"ClientFault": {reason: "An API error of the client's fault was not applied.", err: &smithy.GenericAPIError{Code: "InvalidParameterValue"}, want: false},
		"LostAnswer":  {reason: "A connection dropped after the request was sent may follow an applied request.", err: &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}, want: true},
		"NeverSent":   {reason: "A request whose connection was never made was not applied.", err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}, want: false},
		"Cancelled":   {reason: "A cancelled request is not retried.", err: context.Canceled, want: false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := Uncertain(tc.err); got != tc.want {
				t.Errorf("\n%s\nUncertain(%v): got %t, want %t", tc.reason, tc.err, got, tc.want)
			}
		})
	}
}
