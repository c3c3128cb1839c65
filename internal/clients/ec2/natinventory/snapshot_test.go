// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natinventory

import (
	"context"
	"maps"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// ignoreSDK ignores the SDK's unexported fields in inputs and outputs.
var ignoreSDK = cmpopts.IgnoreUnexported(ec2.DescribeNatGatewaysInput{}, types.NatGateway{}, types.Tag{}, types.Filter{})

func TestList(t *testing.T) {
	a := gw("nat-a", types.NatGatewayStateAvailable, owned("default", "egress-a"))
	b := gw("nat-b", types.NatGatewayStateDeleted, owned("team", "egress-b"))
	c := gw("nat-c", types.NatGatewayStateAvailable, owned("default", "egress-c"))
	untagged := gw("nat-untagged", types.NatGatewayStateAvailable, map[string]string{"Name": "by hand"})
	otherConfig := gw("nat-other", types.NatGatewayStateAvailable, merge(owned("team", "egress-o"), map[string]string{"crossplane-providerconfig-kind": "ProviderConfig", "crossplane-providerconfig": "other"}))
	ownedFilter := []types.Filter{{Name: aws.String("tag-key"), Values: []string{ec2client.TagUID}}}

	type want struct {
		gws    map[string]types.NatGateway
		inputs []*ec2.DescribeNatGatewaysInput
		err    string
	}
	cases := map[string]struct {
		reason string
		key    Key
		pages  [][]types.NatGateway
		err    error
		want   want
	}{
		"OnePage": {
			reason: "Up to 1000 gateways take one call, filtered by the ownership tag of the provider.",
			key:    key,
			pages:  [][]types.NatGateway{{a, b}},
			want: want{
				gws:    byID(a, b),
				inputs: []*ec2.DescribeNatGatewaysInput{{Filter: ownedFilter, MaxResults: aws.Int32(1000)}},
			},
		},
		"Paginated": {
			reason: "More gateways take one call per page, each with the previous page's NextToken.",
			key:    key,
			pages:  [][]types.NatGateway{{a}, {b}, {c}},
			want: want{
				gws: byID(a, b, c),
				inputs: []*ec2.DescribeNatGatewaysInput{
					{Filter: ownedFilter, MaxResults: aws.Int32(1000)},
					{Filter: ownedFilter, MaxResults: aws.Int32(1000), NextToken: aws.String("page-1")},
					{Filter: ownedFilter, MaxResults: aws.Int32(1000), NextToken: aws.String("page-2")},
				},
			},
		},
		"EveryConfigOfTheAccount": {
			reason: "The key is an account, not a provider configuration: gateways made through any configuration that reaches it are listed, so two configurations share one listing.",
			key:    key,
			pages:  [][]types.NatGateway{{a, otherConfig}},
			want: want{
				gws:    byID(a, otherConfig),
				inputs: []*ec2.DescribeNatGatewaysInput{{Filter: ownedFilter, MaxResults: aws.Int32(1000)}},
			},
		},
		"FiltersIgnored": {
			reason: "An endpoint that ignores tag filters (moto does) still yields only gateways the provider made: untagged ones are left out.",
			key:    key,
			pages:  [][]types.NatGateway{{a, untagged, otherConfig}},
			want: want{
				gws:    byID(a, otherConfig),
				inputs: []*ec2.DescribeNatGatewaysInput{{Filter: ownedFilter, MaxResults: aws.Int32(1000)}},
			},
		},
		"Error": {
			reason: "A failed call fails the listing.",
			key:    key,
			err:    errBoom,
			want: want{
				inputs: []*ec2.DescribeNatGatewaysInput{{Filter: ownedFilter, MaxResults: aws.Int32(1000)}},
				err:    "cannot list the NAT gateways of account 123456789012 in us-east-1: boom",
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			l := &lister{}
			l.set(tc.err, tc.pages...)
			got, err := list(context.Background(), l.api(), tc.key)
			if diff := cmp.Diff(tc.want.err, errString(err)); diff != "" {
				t.Errorf("\n%s\nlist(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.gws, got, ignoreSDK); diff != "" {
				t.Errorf("\n%s\nlist(...): -want gateways, +got gateways:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.inputs, l.inputs, ignoreSDK); diff != "" {
				t.Errorf("\n%s\nlist(...): -want calls, +got calls:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestChanges(t *testing.T) {
	tags := owned("default", "egress-a")
	owner := Owner{Namespace: "default", Name: "egress-a"}
	cases := map[string]struct {
		reason string
		prev   map[string]types.NatGateway
		next   map[string]types.NatGateway
		want   []Change
	}{
		"Unchanged": {
			reason: "Gateways in the same state are no change.",
			prev:   byID(gw("nat-a", types.NatGatewayStateAvailable, tags)),
			next:   byID(gw("nat-a", types.NatGatewayStateAvailable, tags)),
		},
		"BecameAvailable": {
			reason: "A gateway that became available is a change, not an alarming one.",
			prev:   byID(gw("nat-a", types.NatGatewayStatePending, tags)),
			next:   byID(gw("nat-a", types.NatGatewayStateAvailable, tags)),
			want:   []Change{{Owner: owner, ID: "nat-a", State: types.NatGatewayStateAvailable}},
		},
		"TagsChanged": {
			reason: "A gateway whose tags were changed outside Crossplane is a change.",
			prev:   byID(gw("nat-a", types.NatGatewayStateAvailable, tags)),
			next:   byID(gw("nat-a", types.NatGatewayStateAvailable, merge(tags, map[string]string{"team": "b"}))),
			want:   []Change{{Owner: owner, ID: "nat-a", State: types.NatGatewayStateAvailable}},
		},
		"AddressChanged": {
			reason: "A gateway whose secondary address is being disassociated is a change.",
			prev:   byID(withAddresses(gw("nat-a", types.NatGatewayStateAvailable, tags), types.NatGatewayAddressStatusSucceeded)),
			next:   byID(withAddresses(gw("nat-a", types.NatGatewayStateAvailable, tags), types.NatGatewayAddressStatusDisassociating)),
			want:   []Change{{Owner: owner, ID: "nat-a", State: types.NatGatewayStateAvailable}},
		},
		"Deleting": {
			reason: "A gateway deleted outside Crossplane is a change as soon as it is deleting.",
			prev:   byID(gw("nat-a", types.NatGatewayStateAvailable, tags)),
			next:   byID(gw("nat-a", types.NatGatewayStateDeleting, tags)),
			want:   []Change{{Owner: owner, ID: "nat-a", State: types.NatGatewayStateDeleting}},
		},
		"Deleted": {
			reason: "A gateway that went deleted is a change, from deleting too.",
			prev:   byID(gw("nat-a", types.NatGatewayStateDeleting, tags)),
			next:   byID(gw("nat-a", types.NatGatewayStateDeleted, tags)),
			want:   []Change{{Owner: owner, ID: "nat-a", State: types.NatGatewayStateDeleted}},
		},
		"StillDeleted": {
			reason: "A gateway deleted in both listings is no new change.",
			prev:   byID(gw("nat-a", types.NatGatewayStateDeleted, tags)),
			next:   byID(gw("nat-a", types.NatGatewayStateDeleted, tags)),
		},
		"Failed": {
			reason: "A gateway that failed is a change.",
			prev:   byID(gw("nat-a", types.NatGatewayStatePending, tags)),
			next:   byID(gw("nat-a", types.NatGatewayStateFailed, tags)),
			want:   []Change{{Owner: owner, ID: "nat-a", State: types.NatGatewayStateFailed}},
		},
		"NewAndFailed": {
			reason: "A gateway first listed already failed is a change.",
			prev:   byID(),
			next:   byID(gw("nat-a", types.NatGatewayStateFailed, tags)),
			want:   []Change{{Owner: owner, ID: "nat-a", State: types.NatGatewayStateFailed}},
		},
		"NewAndAvailable": {
			reason: "A gateway first listed available, as an imported gateway is once tagged, is a change, so its NATGateway sees its tags.",
			prev:   byID(),
			next:   byID(gw("nat-a", types.NatGatewayStateAvailable, tags)),
			want:   []Change{{Owner: owner, ID: "nat-a", State: types.NatGatewayStateAvailable}},
		},
		"NewAndPending": {
			reason: "A new pending gateway is no change: the provider follows the gateways it creates.",
			prev:   byID(),
			next:   byID(gw("nat-a", types.NatGatewayStatePending, tags)),
		},
		"Vanished": {
			reason: "A gateway that is no longer listed (purged, or its ownership tags removed) is a change without a state.",
			prev:   byID(gw("nat-a", types.NatGatewayStateAvailable, tags)),
			next:   byID(),
			want:   []Change{{Owner: owner, ID: "nat-a"}},
		},
		"NoOwner": {
			reason: "A gateway whose tags name no managed resource cannot be traced to one, so it is left out.",
			prev:   byID(gw("nat-a", types.NatGatewayStateAvailable, map[string]string{ec2client.TagUID: "uid"})),
			next:   byID(gw("nat-a", types.NatGatewayStateDeleted, map[string]string{ec2client.TagUID: "uid"})),
		},
		"Several": {
			reason: "Changes come sorted by gateway ID, each with its own owner.",
			prev: byID(
				gw("nat-c", types.NatGatewayStateAvailable, owned("team", "egress-c")),
				gw("nat-b", types.NatGatewayStateAvailable, owned("default", "egress-b")),
				gw("nat-a", types.NatGatewayStateAvailable, tags),
			),
			next: byID(
				gw("nat-b", types.NatGatewayStateDeleting, owned("default", "egress-b")),
				gw("nat-a", types.NatGatewayStateAvailable, tags),
			),
			want: []Change{
				{Owner: Owner{Namespace: "default", Name: "egress-b"}, ID: "nat-b", State: types.NatGatewayStateDeleting},
				{Owner: Owner{Namespace: "team", Name: "egress-c"}, ID: "nat-c"},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := changes(tc.prev, tc.next)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\nchanges(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// withAddresses gives gw a primary and a secondary address, the latter in
// status secondary.
func withAddresses(gw types.NatGateway, secondary types.NatGatewayAddressStatus) types.NatGateway {
	gw.NatGatewayAddresses = []types.NatGatewayAddress{
		{AllocationId: aws.String("eipalloc-a"), IsPrimary: aws.Bool(true), Status: types.NatGatewayAddressStatusSucceeded},
		{AllocationId: aws.String("eipalloc-b"), IsPrimary: aws.Bool(false), Status: secondary},
	}
	return gw
}

func TestChangeAlarming(t *testing.T) {
	for s, want := range map[types.NatGatewayState]bool{
		"":                             true,
		types.NatGatewayStateDeleting:  true,
		types.NatGatewayStateDeleted:   true,
		types.NatGatewayStateFailed:    true,
		types.NatGatewayStatePending:   false,
		types.NatGatewayStateAvailable: false,
	} {
		if got := (Change{State: s}).Alarming(); got != want {
			t.Errorf("Change{State: %q}.Alarming(): got %t, want %t", s, got, want)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// merge returns the union of maps, later ones winning.
func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}
