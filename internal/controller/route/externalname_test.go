// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	rfake "github.com/crossplane/crossplane-runtime/v2/pkg/resource/fake"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

func TestInitialize(t *testing.T) {
	type want struct {
		mg      resource.Managed
		written bool
		err     error
		msg     string
	}
	cases := map[string]struct {
		reason   string
		mg       resource.Managed
		writeErr error
		want     want
	}{
		"SetFromSpec": {
			reason: "A Route without an external name gets <routeTableId>_<destination>, written to the API server.",
			mg:     route(),
			want:   want{mg: route(withExternalName(extName)), written: true},
		},
		"SetFromIPv6": {
			reason: "The destination of an IPv6 route is its IPv6 CIDR block.",
			mg:     route(withDestination(nil, aws.String(ipv6Dest), nil)),
			want:   want{mg: route(withDestination(nil, aws.String(ipv6Dest), nil), withExternalName(tableID+"_"+ipv6Dest)), written: true},
		},
		"SetFromPrefixList": {
			reason: "The destination of a prefix-list route is the prefix list ID.",
			mg:     route(withDestination(nil, nil, aws.String(plDest))),
			want:   want{mg: route(withDestination(nil, nil, aws.String(plDest)), withExternalName(tableID+"_"+plDest)), written: true},
		},
		"KeepExisting": {
			reason: "An external name that is set, as for an import, is kept and nothing is written.",
			mg:     route(withExternalName(tableID + "_10.9.0.0/16")),
			want:   want{mg: route(withExternalName(tableID + "_10.9.0.0/16"))},
		},
		"NoDestination": {
			reason: "A Route without exactly one destination is a clear error and nothing is written.",
			mg:     route(withDestination(aws.String(dest), aws.String(ipv6Dest), nil)),
			want:   want{mg: route(withDestination(aws.String(dest), aws.String(ipv6Dest), nil)), err: cmpopts.AnyError, msg: "set exactly one destination"},
		},
		"WriteError": {
			reason:   "An error writing the external name is returned.",
			mg:       route(),
			writeErr: errBoom,
			want:     want{mg: route(withExternalName(extName)), written: true, err: errBoom},
		},
		"NotARoute": {
			reason: "Any other kind of managed resource is an error.",
			mg:     &rfake.ModernManaged{},
			want:   want{mg: &rfake.ModernManaged{}, err: cmpopts.AnyError, msg: "not a Route"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			written := false
			kube := &test.MockClient{MockUpdate: func(_ context.Context, _ client.Object, _ ...client.UpdateOption) error {
				written = true
				return tc.writeErr
			}}
			err := (&externalNameInitializer{client: kube}).Initialize(context.Background(), tc.mg)
			checkErr(t, tc.reason, "Initialize(...)", tc.want.err, err, tc.want.msg)
			if diff := cmp.Diff(tc.want.mg, tc.mg); diff != "" {
				t.Errorf("\n%s\nInitialize(...): -want, +got:\n%s", tc.reason, diff)
			}
			if written != tc.want.written {
				t.Errorf("\n%s\nInitialize(...): written = %t, want %t", tc.reason, written, tc.want.written)
			}
		})
	}
}

func TestSameRoute(t *testing.T) {
	cases := map[string]struct {
		reason string
		a, b   string
		want   bool
	}{
		"Equal":             {reason: "Identical names name the same route.", a: extName, b: extName, want: true},
		"CanonicalCIDR":     {reason: "CIDR blocks compare with their host bits cleared, as EC2 stores them.", a: tableID + "_10.0.0.9/8", b: tableID + "_10.0.0.0/8", want: true},
		"CanonicalIPv6":     {reason: "IPv6 CIDR blocks compare in canonical form.", a: tableID + "_2001:DB8:0:0::/32", b: tableID + "_2001:db8::/32", want: true},
		"OtherDestination":  {reason: "Another destination is another route.", a: extName, b: tableID + "_10.1.0.0/16", want: false},
		"OtherTable":        {reason: "Another table is another route.", a: extName, b: "rtb-0a1b2c3d4e5f60099_" + dest, want: false},
		"PrefixList":        {reason: "Prefix list IDs compare as they are.", a: tableID + "_" + plDest, b: tableID + "_" + plDest, want: true},
		"MissingSeparator":  {reason: "A name without a separator names no route.", a: tableID, b: tableID, want: false},
		"MissingSeparatorB": {reason: "Either name must have the separator.", a: extName, b: tableID, want: false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := sameRoute(tc.a, tc.b); got != tc.want {
				t.Errorf("\n%s\nsameRoute(%q, %q) = %t, want %t", tc.reason, tc.a, tc.b, got, tc.want)
			}
		})
	}
}

func TestExternalName(t *testing.T) {
	cases := map[string]struct {
		reason string
		p      v1alpha1.RouteParameters
		want   string
		err    bool
	}{
		"CIDR":         {reason: "The destination of an IPv4 route is its CIDR block.", p: route().Spec.ForProvider, want: extName},
		"NoTable":      {reason: "A Route without a route table has no external name.", p: v1alpha1.RouteParameters{DestinationCidrBlock: aws.String(dest)}, err: true},
		"EmptyIsUnset": {reason: "An empty destination counts as unset.", p: v1alpha1.RouteParameters{RouteTableID: tableID, DestinationCidrBlock: aws.String(""), DestinationPrefixListID: aws.String(plDest)}, want: tableID + "_" + plDest},
		"Two":          {reason: "Two destinations are an error.", p: v1alpha1.RouteParameters{RouteTableID: tableID, DestinationCidrBlock: aws.String(dest), DestinationPrefixListID: aws.String(plDest)}, err: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := externalName(tc.p)
			if (err != nil) != tc.err {
				t.Errorf("\n%s\nexternalName(...): error %v, want an error: %t", tc.reason, err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\nexternalName(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
