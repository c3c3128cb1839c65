// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

func TestSignatureVerification(t *testing.T) {
	s := newSim(t, ec2sim.Options{SecretKey: testSecret})
	cases := map[string]struct {
		reason string
		client *ec2.Client
		want   string
	}{
		"RightSecret": {reason: "A request signed with the configured secret passes.", client: s.ec2, want: ""},
		"AnyAccessKey": {reason: "The secret applies to every access key.",
			client: newClient(s.http.URL, "AKIDANOTHER", testSecret, "us-west-2"), want: ""},
		"WrongSecret": {reason: "A request signed with another secret gets AuthFailure.",
			client: newClient(s.http.URL, testAccessKey, "wrong", testRegion), want: "AuthFailure"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := tc.client.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
			if diff := cmp.Diff(tc.want, code(err)); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
			if err != nil && httpStatus(err) != 401 {
				t.Errorf("%s\nHTTP status %d, want 401", tc.reason, httpStatus(err))
			}
		})
	}
	r := post(t, s.http.URL, url.Values{"Action": {"DescribeVpcs"}, "Version": {"2016-11-15"}})
	if r.status != 401 {
		t.Errorf("unsigned request with a secret configured: status %d, want 401", r.status)
	}
}

func TestStatePerAccountAndRegion(t *testing.T) {
	s := newSim(t, ec2sim.Options{})
	ctx := context.Background()
	vpcID, _ := s.network()
	cases := map[string]struct {
		reason string
		client *ec2.Client
		want   string
	}{
		"SameAccountAndRegion": {reason: "The owner sees its VPC.", client: s.ec2, want: ""},
		"OtherAccount":         {reason: "Another access key is another account.", client: newClient(s.http.URL, "AKIDOTHER", testSecret, testRegion), want: "InvalidVpcID.NotFound"},
		"OtherRegion":          {reason: "Another region has its own state.", client: newClient(s.http.URL, testAccessKey, testSecret, "us-east-2"), want: "InvalidVpcID.NotFound"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := tc.client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpcID}})
			if diff := cmp.Diff(tc.want, code(err)); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
}
