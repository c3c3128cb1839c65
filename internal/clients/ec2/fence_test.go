// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

func TestFence(t *testing.T) {
	const deleted = `<DeleteNatGatewayResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><natGatewayId>nat-1</natGatewayId></DeleteNatGatewayResponse>`
	const described = `<DescribeNatGatewaysResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><natGatewaySet/></DescribeNatGatewaysResponse>`
	closed := errors.New("this replica does not hold the leader lease")
	type want struct {
		err      string
		attempts int
	}
	cases := map[string]struct {
		reason string
		fence  Fence
		call   func(API) error
		want   want
	}{
		"OpenWrites": {
			reason: "An open fence lets a change through.",
			fence:  func() error { return nil },
			call: func(api API) error {
				_, err := api.DeleteNatGateway(context.Background(), &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String("nat-1")})
				return err
			},
			want: want{attempts: 1},
		},
		"ClosedWrites": {
			reason: "A closed fence fails a change before it is sent.",
			fence:  func() error { return closed },
			call: func(api API) error {
				_, err := api.DeleteNatGateway(context.Background(), &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String("nat-1")})
				return err
			},
			want: want{err: "cannot call DeleteNatGateway: this replica does not hold the leader lease"},
		},
		"ClosedReads": {
			reason: "A closed fence lets a read through: reading changes nothing.",
			fence:  func() error { return closed },
			call: func(api API) error {
				_, err := api.DescribeNatGateways(context.Background(), &ec2.DescribeNatGatewaysInput{})
				return err
			},
			want: want{attempts: 1},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			isolateAWSEnv(t)
			ep := newEndpoint().script("DeleteNatGateway", response{status: http.StatusOK, body: deleted}).
				script("DescribeNatGateways", response{status: http.StatusOK, body: described})
			srv := httptest.NewServer(ep)
			t.Cleanup(srv.Close)
			f := NewClientFactory(newKube(providerConfig(pcEndpoint(srv.URL)), credentialsSecret("1")).client(), WithFence(tc.fence))
			api, err := f.ClientFor(context.Background(), natGateway(), "eu-west-1")
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if err := tc.call(api); err != nil {
				got = err.Error()
			}
			if tc.want.err == "" && got != "" || tc.want.err != "" && !strings.Contains(got, tc.want.err) {
				t.Errorf("\n%s\nerror: want %q, got %q", tc.reason, tc.want.err, got)
			}
			if diff := cmp.Diff(tc.want.attempts, len(ep.seen())); diff != "" {
				t.Errorf("\n%s\nrequests sent: -want, +got:\n%s\n", tc.reason, diff)
			}
		})
	}
}
