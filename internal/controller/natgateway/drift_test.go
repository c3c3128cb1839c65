// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// plan is what a drift asks Update to do.
type plan struct {
	UpToDate     bool
	Replace      bool
	CreateTags   map[string]string
	DeleteTags   []string
	Associate    []string
	Disassociate []string
	Assign       []string
	AssignCount  int32
	Unassign     []string
}

func planOf(d drift) plan {
	return plan{
		UpToDate: d.upToDate(), Replace: d.replace,
		CreateTags: d.createTags, DeleteTags: d.deleteTags,
		Associate: d.associate, Disassociate: d.disassociate,
		Assign: d.assign, AssignCount: d.assignCount, Unassign: d.unassign,
	}
}

func TestComputeDrift(t *testing.T) {
	failedAddr := types.NatGatewayAddress{AllocationId: aws.String(secAllocA), IsPrimary: aws.Bool(false), Status: types.NatGatewayAddressStatusFailed, FailureMessage: aws.String("already associated")}
	cases := map[string]struct {
		reason string
		cr     *v1alpha1.NATGateway
		want   plan
	}{
		"UpToDate": {
			reason: "A gateway with the ownership tags, the spec's primary address and no secondary addresses is up to date.",
			cr:     natGateway(withAtProvider(observed(gateway()))),
			want:   plan{UpToDate: true},
		},
		"UnmarkedPrimary": {
			reason: "When EC2 marks no address primary, the first is taken as the primary, never as an extra secondary.",
			cr: natGateway(withAtProvider(observed(gateway(func(gw *types.NatGateway) {
				gw.NatGatewayAddresses[0].IsPrimary = nil
			})))),
			want: plan{UpToDate: true},
		},
		"SecondaryAddressesMatch": {
			reason: "Secondary Elastic IP addresses are compared as a set.",
			cr: natGateway(withSecondaryAllocations(secAllocB, secAllocA), withAtProvider(observed(gateway(
				gwAddress(secondaryEIP(secAllocA, assocA, types.NatGatewayAddressStatusSucceeded)),
				gwAddress(secondaryEIP(secAllocB, assocB, types.NatGatewayAddressStatusSucceeded)))))),
			want: plan{UpToDate: true},
		},
		"FailedAddressRetried": {
			reason: "An address whose association failed does not count as associated: it is associated again.",
			cr:     natGateway(withSecondaryAllocations(secAllocA), withAtProvider(observed(gateway(gwAddress(failedAddr))))),
			want:   plan{Associate: []string{secAllocA}},
		},
		"ReplaceSuppressesOtherChanges": {
			reason: "A gateway to be replaced gets no address change; its replacement is created with the spec's addresses.",
			cr:     natGateway(withAllocation(newAllocID), withSecondaryAllocations(secAllocA), withAtProvider(observed(gateway()))),
			want:   plan{Replace: true},
		},
		"NoReplaceWithoutSpecAllocation": {
			reason: "A spec without allocationId (an import) never replaces the gateway.",
			cr:     natGateway(func(cr *v1alpha1.NATGateway) { cr.Spec.ForProvider.AllocationID = nil }, withAtProvider(observed(gateway()))),
			want:   plan{UpToDate: true},
		},
		"TransitionSuppressesAddressChanges": {
			reason: "While an address is in transition no address change is planned, and the gateway is not up to date.",
			cr: natGateway(withSecondaryAllocations(secAllocB), withAtProvider(observed(gateway(
				gwAddress(secondaryEIP(secAllocA, assocA, types.NatGatewayAddressStatusDisassociating)))))),
			want: plan{},
		},
		"PrivateWithoutSecondaries": {
			reason: "A private gateway whose spec lists no secondary addresses has its extra secondary addresses unassigned.",
			cr:     natGateway(private(), withAtProvider(observed(gateway(gwPrivate(), gwAddress(secondaryIP("10.0.1.20", types.NatGatewayAddressStatusSucceeded)))))),
			want:   plan{Unassign: []string{"10.0.1.20"}},
		},
		"PrivateCountMatches": {
			reason: "A private gateway with as many secondary addresses as its count is up to date, whichever they are.",
			cr:     natGateway(private(), withSecondaryPrivateIPCount(1), withAtProvider(observed(gateway(gwPrivate(), gwAddress(secondaryIP("10.0.1.77", types.NatGatewayAddressStatusSucceeded)))))),
			want:   plan{UpToDate: true},
		},
		"PublicIgnoresPrivateAddresses": {
			reason: "The private addresses paired with a public gateway's Elastic IP addresses are not compared.",
			cr: natGateway(withSecondaryAllocations(secAllocA), withAtProvider(observed(gateway(gwAddress(types.NatGatewayAddress{
				AllocationId: aws.String(secAllocA), AssociationId: aws.String(assocA), PrivateIp: aws.String("10.0.1.20"), IsPrimary: aws.Bool(false), Status: types.NatGatewayAddressStatusSucceeded,
			}))))),
			want: plan{UpToDate: true},
		},
		"Regional": {
			reason: "A regional gateway's addresses are EC2's to manage; only tags are compared.",
			cr: natGateway(regional(), withTags(map[string]string{"team": "net"}), withAtProvider(observed(gateway(
				gwAddress(secondaryEIP(secAllocA, assocA, types.NatGatewayAddressStatusSucceeded)))))),
			want: plan{CreateTags: map[string]string{"team": "net"}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := computeDrift(tc.cr)
			if diff := cmp.Diff(tc.want, planOf(d), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\ncomputeDrift(...): -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.UpToDate, d.diff() == ""); diff != "" {
				t.Errorf("\n%s\ncomputeDrift(...).diff() must be empty exactly when up to date (%q): -want, +got:\n%s", tc.reason, d.diff(), diff)
			}
		})
	}
}
