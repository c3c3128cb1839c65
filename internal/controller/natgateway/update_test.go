// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
)

// A mutation is one changing EC2 call and its input.
type mutation struct {
	Op string
	In any
}

// mutations fakes the EC2 calls that change a gateway, recording them in
// order. Calls fail with errs[op] when set; address calls answer with
// addrs.
type mutations struct {
	errs  map[string]error
	addrs []types.NatGatewayAddress
	log   []mutation
}

func (m *mutations) fake() *fake.EC2 {
	rec := func(op string, in any) error {
		m.log = append(m.log, mutation{Op: op, In: in})
		return m.errs[op]
	}
	return &fake.EC2{
		MockCreateNatGateway: func(_ context.Context, in *ec2.CreateNatGatewayInput) (*ec2.CreateNatGatewayOutput, error) {
			return &ec2.CreateNatGatewayOutput{NatGateway: &types.NatGateway{NatGatewayId: aws.String(newNatID)}}, rec("CreateNatGateway", in)
		},
		MockDeleteNatGateway: func(_ context.Context, in *ec2.DeleteNatGatewayInput) (*ec2.DeleteNatGatewayOutput, error) {
			return &ec2.DeleteNatGatewayOutput{NatGatewayId: in.NatGatewayId}, rec("DeleteNatGateway", in)
		},
		MockCreateTags: func(_ context.Context, in *ec2.CreateTagsInput) (*ec2.CreateTagsOutput, error) {
			return &ec2.CreateTagsOutput{}, rec("CreateTags", in)
		},
		MockDeleteTags: func(_ context.Context, in *ec2.DeleteTagsInput) (*ec2.DeleteTagsOutput, error) {
			return &ec2.DeleteTagsOutput{}, rec("DeleteTags", in)
		},
		MockAssociateNatGatewayAddress: func(_ context.Context, in *ec2.AssociateNatGatewayAddressInput) (*ec2.AssociateNatGatewayAddressOutput, error) {
			return &ec2.AssociateNatGatewayAddressOutput{NatGatewayId: in.NatGatewayId, NatGatewayAddresses: m.addrs}, rec("AssociateNatGatewayAddress", in)
		},
		MockDisassociateNatGatewayAddress: func(_ context.Context, in *ec2.DisassociateNatGatewayAddressInput) (*ec2.DisassociateNatGatewayAddressOutput, error) {
			return &ec2.DisassociateNatGatewayAddressOutput{NatGatewayId: in.NatGatewayId, NatGatewayAddresses: m.addrs}, rec("DisassociateNatGatewayAddress", in)
		},
		MockAssignPrivateNatGatewayAddress: func(_ context.Context, in *ec2.AssignPrivateNatGatewayAddressInput) (*ec2.AssignPrivateNatGatewayAddressOutput, error) {
			return &ec2.AssignPrivateNatGatewayAddressOutput{NatGatewayId: in.NatGatewayId, NatGatewayAddresses: m.addrs}, rec("AssignPrivateNatGatewayAddress", in)
		},
		MockUnassignPrivateNatGatewayAddress: func(_ context.Context, in *ec2.UnassignPrivateNatGatewayAddressInput) (*ec2.UnassignPrivateNatGatewayAddressOutput, error) {
			return &ec2.UnassignPrivateNatGatewayAddressOutput{NatGatewayId: in.NatGatewayId, NatGatewayAddresses: m.addrs}, rec("UnassignPrivateNatGatewayAddress", in)
		},
	}
}

// sdkOpts compare SDK inputs.
var sdkOpts = []cmp.Option{
	cmpopts.EquateEmpty(),
	cmpopts.IgnoreUnexported(
		ec2.DeleteNatGatewayInput{}, ec2.CreateTagsInput{}, ec2.DeleteTagsInput{}, types.Tag{},
		ec2.AssociateNatGatewayAddressInput{}, ec2.DisassociateNatGatewayAddressInput{},
		ec2.AssignPrivateNatGatewayAddressInput{}, ec2.UnassignPrivateNatGatewayAddressInput{},
		ec2.CreateNatGatewayInput{}, types.TagSpecification{},
	),
}

func TestUpdate(t *testing.T) {
	associating := secondaryEIP(secAllocA, assocA, types.NatGatewayAddressStatusAssociating)
	type want struct {
		cr        *v1alpha1.NATGateway
		mutations []mutation
		events    []event.Event
		err       error
	}
	cases := map[string]struct {
		reason string
		m      *mutations
		found  *found
		cr     *v1alpha1.NATGateway
		want   want
	}{
		"GatewayGone": {
			reason: "A gateway Observe found gone (a management policy without Create keeps it so) is not updated.",
			m:      &mutations{},
			found:  &found{id: natID, state: v1alpha1.FoundStateDeleted},
			cr:     natGateway(withExternalName(natID), withTags(map[string]string{"team": "net"}), withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleted))))),
			want: want{
				cr: natGateway(withExternalName(natID), withTags(map[string]string{"team": "net"}), withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleted))))),
			},
		},
		"CreateTags": {
			reason: "Missing and changed tags are written in one CreateTags call.",
			m:      &mutations{},
			cr: natGateway(withExternalName(natID), withTags(map[string]string{"team": "net", "env": "prod"}),
				withAtProvider(observed(gateway(gwTags(merge(ownership(), map[string]string{"team": "old"})))))),
			want: want{
				cr: natGateway(withExternalName(natID), withTags(map[string]string{"team": "net", "env": "prod"}),
					withAtProvider(observed(gateway(gwTags(merge(ownership(), map[string]string{"team": "old"})))))),
				mutations: []mutation{{Op: "CreateTags", In: &ec2.CreateTagsInput{Resources: []string{natID}, Tags: ec2client.Tags(map[string]string{"team": "net", "env": "prod"})}}},
			},
		},
		"DeleteTagsNeverAWS": {
			reason: "Tags the spec does not want are deleted, but never aws: tags.",
			m:      &mutations{},
			cr: natGateway(withExternalName(natID),
				withAtProvider(observed(gateway(gwTags(merge(ownership(), map[string]string{"old": "x", "aws:cloudformation:stack-name": "net"})))))),
			want: want{
				cr: natGateway(withExternalName(natID),
					withAtProvider(observed(gateway(gwTags(merge(ownership(), map[string]string{"old": "x", "aws:cloudformation:stack-name": "net"})))))),
				mutations: []mutation{{Op: "DeleteTags", In: &ec2.DeleteTagsInput{Resources: []string{natID}, Tags: []types.Tag{{Key: aws.String("old")}}}}},
			},
		},
		"RestoreOwnershipTags": {
			reason: "Ownership tags removed outside Crossplane are written again.",
			m:      &mutations{},
			cr:     natGateway(withExternalName(natID), withAtProvider(observed(gateway(gwTags(nil))))),
			want: want{
				cr:        natGateway(withExternalName(natID), withAtProvider(observed(gateway(gwTags(nil))))),
				mutations: []mutation{{Op: "CreateTags", In: &ec2.CreateTagsInput{Resources: []string{natID}, Tags: ec2client.Tags(ownership())}}},
			},
		},
		"CreateTagsError": {
			reason: "An error writing tags is returned.",
			m:      &mutations{errs: map[string]error{"CreateTags": errBoom}},
			cr:     natGateway(withExternalName(natID), withAtProvider(observed(gateway(gwTags(nil))))),
			want: want{
				cr:        natGateway(withExternalName(natID), withAtProvider(observed(gateway(gwTags(nil))))),
				mutations: []mutation{{Op: "CreateTags", In: &ec2.CreateTagsInput{Resources: []string{natID}, Tags: ec2client.Tags(ownership())}}},
				err:       errBoom,
			},
		},
		"Associate": {
			reason: "Missing secondary Elastic IP addresses are associated in one call; the status shows them associating so the next observation comes soon.",
			m:      &mutations{addrs: []types.NatGatewayAddress{{AllocationId: aws.String(secAllocA), Status: types.NatGatewayAddressStatusAssociating}}},
			cr:     natGateway(withExternalName(natID), withSecondaryAllocations(secAllocA), withAtProvider(observed(gateway()))),
			want: want{
				cr: natGateway(withExternalName(natID), withSecondaryAllocations(secAllocA),
					withAtProvider(observed(gateway(gwAddress(types.NatGatewayAddress{AllocationId: aws.String(secAllocA), Status: types.NatGatewayAddressStatusAssociating}))))),
				mutations: []mutation{{Op: "AssociateNatGatewayAddress", In: &ec2.AssociateNatGatewayAddressInput{NatGatewayId: aws.String(natID), AllocationIds: []string{secAllocA}}}},
			},
		},
		"AssociateBeforeDisassociate": {
			reason: "One address change per reconcile: a missing address is associated first; the unwanted one waits for the next reconcile.",
			m:      &mutations{},
			cr: natGateway(withExternalName(natID), withSecondaryAllocations(secAllocA),
				withAtProvider(observed(gateway(gwAddress(secondaryEIP(secAllocB, assocB, types.NatGatewayAddressStatusSucceeded)))))),
			want: want{
				cr: natGateway(withExternalName(natID), withSecondaryAllocations(secAllocA),
					withAtProvider(observed(gateway(gwAddress(secondaryEIP(secAllocB, assocB, types.NatGatewayAddressStatusSucceeded)))))),
				mutations: []mutation{{Op: "AssociateNatGatewayAddress", In: &ec2.AssociateNatGatewayAddressInput{NatGatewayId: aws.String(natID), AllocationIds: []string{secAllocA}}}},
			},
		},
		"Disassociate": {
			reason: "An unwanted secondary Elastic IP address is disassociated by its association ID; the primary never is.",
			m:      &mutations{},
			cr: natGateway(withExternalName(natID),
				withAtProvider(observed(gateway(gwAddress(secondaryEIP(secAllocB, assocB, types.NatGatewayAddressStatusSucceeded)))))),
			want: want{
				cr: natGateway(withExternalName(natID),
					withAtProvider(observed(gateway(gwAddress(secondaryEIP(secAllocB, assocB, types.NatGatewayAddressStatusSucceeded)))))),
				mutations: []mutation{{Op: "DisassociateNatGatewayAddress", In: &ec2.DisassociateNatGatewayAddressInput{NatGatewayId: aws.String(natID), AssociationIds: []string{assocB}}}},
			},
		},
		"DisassociateWithoutAssociationID": {
			reason: "An unwanted address EC2 reports without an association ID cannot be disassociated: a clear error.",
			m:      &mutations{},
			cr: natGateway(withExternalName(natID),
				withAtProvider(observed(gateway(gwAddress(types.NatGatewayAddress{AllocationId: aws.String(secAllocB), IsPrimary: aws.Bool(false), Status: types.NatGatewayAddressStatusSucceeded}))))),
			want: want{
				cr: natGateway(withExternalName(natID),
					withAtProvider(observed(gateway(gwAddress(types.NatGatewayAddress{AllocationId: aws.String(secAllocB), IsPrimary: aws.Bool(false), Status: types.NatGatewayAddressStatusSucceeded}))))),
				err: errors.New("cannot disassociate an Elastic IP address from NAT gateway " + natID + ": EC2 reports no association ID for it"),
			},
		},
		"WaitForTransition": {
			reason: "While an address is associating, no other address change is made; tags still are.",
			m:      &mutations{},
			cr: natGateway(withExternalName(natID), withSecondaryAllocations(secAllocB), withTags(map[string]string{"team": "net"}),
				withAtProvider(observed(gateway(gwAddress(associating))))),
			want: want{
				cr: natGateway(withExternalName(natID), withSecondaryAllocations(secAllocB), withTags(map[string]string{"team": "net"}),
					withAtProvider(observed(gateway(gwAddress(associating))))),
				mutations: []mutation{{Op: "CreateTags", In: &ec2.CreateTagsInput{Resources: []string{natID}, Tags: ec2client.Tags(map[string]string{"team": "net"})}}},
			},
		},
		"AssociateError": {
			reason: "An error associating an address is returned.",
			m:      &mutations{errs: map[string]error{"AssociateNatGatewayAddress": errBoom}},
			cr:     natGateway(withExternalName(natID), withSecondaryAllocations(secAllocA), withAtProvider(observed(gateway()))),
			want: want{
				cr:        natGateway(withExternalName(natID), withSecondaryAllocations(secAllocA), withAtProvider(observed(gateway()))),
				mutations: []mutation{{Op: "AssociateNatGatewayAddress", In: &ec2.AssociateNatGatewayAddressInput{NatGatewayId: aws.String(natID), AllocationIds: []string{secAllocA}}}},
				err:       errBoom,
			},
		},
		"Assign": {
			reason: "A missing secondary private address of a private gateway is assigned.",
			m:      &mutations{},
			cr:     natGateway(withExternalName(natID), private(), withSecondaryPrivateIPs("10.0.1.20"), withAtProvider(observed(gateway(gwPrivate())))),
			want: want{
				cr:        natGateway(withExternalName(natID), private(), withSecondaryPrivateIPs("10.0.1.20"), withAtProvider(observed(gateway(gwPrivate())))),
				mutations: []mutation{{Op: "AssignPrivateNatGatewayAddress", In: &ec2.AssignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(natID), PrivateIpAddresses: []string{"10.0.1.20"}}}},
			},
		},
		"AssignCount": {
			reason: "A private gateway with fewer secondary addresses than its count gets the missing number assigned.",
			m:      &mutations{},
			cr: natGateway(withExternalName(natID), private(), withSecondaryPrivateIPCount(3),
				withAtProvider(observed(gateway(gwPrivate(), gwAddress(secondaryIP("10.0.1.20", types.NatGatewayAddressStatusSucceeded)))))),
			want: want{
				cr: natGateway(withExternalName(natID), private(), withSecondaryPrivateIPCount(3),
					withAtProvider(observed(gateway(gwPrivate(), gwAddress(secondaryIP("10.0.1.20", types.NatGatewayAddressStatusSucceeded)))))),
				mutations: []mutation{{Op: "AssignPrivateNatGatewayAddress", In: &ec2.AssignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(natID), PrivateIpAddressCount: aws.Int32(2)}}},
			},
		},
		"Unassign": {
			reason: "An unwanted secondary private address is unassigned; the primary never is.",
			m:      &mutations{addrs: []types.NatGatewayAddress{{PrivateIp: aws.String("10.0.1.20"), Status: types.NatGatewayAddressStatusUnassigning}}},
			cr: natGateway(withExternalName(natID), private(),
				withAtProvider(observed(gateway(gwPrivate(), gwAddress(secondaryIP("10.0.1.20", types.NatGatewayAddressStatusSucceeded)))))),
			want: want{
				cr: natGateway(withExternalName(natID), private(),
					withAtProvider(observed(gateway(gwPrivate(), gwAddress(secondaryIP("10.0.1.20", types.NatGatewayAddressStatusUnassigning)))))),
				mutations: []mutation{{Op: "UnassignPrivateNatGatewayAddress", In: &ec2.UnassignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(natID), PrivateIpAddresses: []string{"10.0.1.20"}}}},
			},
		},
		"UnassignCount": {
			reason: "A private gateway with more secondary addresses than its count gets the surplus unassigned.",
			m:      &mutations{},
			cr: natGateway(withExternalName(natID), private(), withSecondaryPrivateIPCount(1),
				withAtProvider(observed(gateway(gwPrivate(),
					gwAddress(secondaryIP("10.0.1.21", types.NatGatewayAddressStatusSucceeded)),
					gwAddress(secondaryIP("10.0.1.20", types.NatGatewayAddressStatusSucceeded)))))),
			want: want{
				cr: natGateway(withExternalName(natID), private(), withSecondaryPrivateIPCount(1),
					withAtProvider(observed(gateway(gwPrivate(),
						gwAddress(secondaryIP("10.0.1.21", types.NatGatewayAddressStatusSucceeded)),
						gwAddress(secondaryIP("10.0.1.20", types.NatGatewayAddressStatusSucceeded)))))),
				mutations: []mutation{{Op: "UnassignPrivateNatGatewayAddress", In: &ec2.UnassignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(natID), PrivateIpAddresses: []string{"10.0.1.21"}}}},
			},
		},
		"Replace": {
			reason: "A gateway whose primary address is not the spec's is deleted to be replaced, once, with an event; nothing else is changed.",
			m:      &mutations{},
			cr:     natGateway(withExternalName(natID), withAllocation(newAllocID), withTags(map[string]string{"team": "net"}), withAtProvider(observed(gateway()))),
			want: want{
				cr: natGateway(withExternalName(natID), withAllocation(newAllocID), withTags(map[string]string{"team": "net"}),
					withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleting))))),
				mutations: []mutation{{Op: "DeleteNatGateway", In: &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(natID)}}},
				events: []event.Event{event.Normal(reasonReplacing,
					"Deleting NAT gateway "+natID+" to replace it: its primary address is "+allocID+", the spec asks for "+newAllocID)},
			},
		},
		"ReplaceNotAllowed": {
			reason: "A gateway is not deleted for replacement when the management policies do not allow Delete; the error says why.",
			m:      &mutations{},
			cr: natGateway(withExternalName(natID), withAllocation(newAllocID), withAtProvider(observed(gateway())), func(cr *v1alpha1.NATGateway) {
				cr.SetManagementPolicies(xpv2.ManagementPolicies{xpv2.ManagementActionObserve, xpv2.ManagementActionUpdate, xpv2.ManagementActionCreate})
			}),
			want: want{
				cr: natGateway(withExternalName(natID), withAllocation(newAllocID), withAtProvider(observed(gateway())), func(cr *v1alpha1.NATGateway) {
					cr.SetManagementPolicies(xpv2.ManagementPolicies{xpv2.ManagementActionObserve, xpv2.ManagementActionUpdate, xpv2.ManagementActionCreate})
				}),
				err: errors.New("cannot replace NAT gateway " + natID + ": its primary address is " + allocID + ", the spec asks for " + newAllocID + ", and spec.managementPolicies do not allow Delete and Create"),
			},
		},
		"ReplaceError": {
			reason: "An error deleting the gateway to replace it is returned, without an event.",
			m:      &mutations{errs: map[string]error{"DeleteNatGateway": errBoom}},
			cr:     natGateway(withExternalName(natID), withAllocation(newAllocID), withAtProvider(observed(gateway()))),
			want: want{
				cr:        natGateway(withExternalName(natID), withAllocation(newAllocID), withAtProvider(observed(gateway()))),
				mutations: []mutation{{Op: "DeleteNatGateway", In: &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(natID)}}},
				err:       errBoom,
			},
		},
		"RegionalAddressesLeftToEC2": {
			reason: "The addresses of a regional gateway are EC2's to manage: no address call.",
			m:      &mutations{},
			cr: natGateway(withExternalName(natID), regional(),
				withAtProvider(observed(gateway(gwAddress(secondaryEIP(secAllocB, assocB, types.NatGatewayAddressStatusSucceeded)))))),
			want: want{
				cr: natGateway(withExternalName(natID), regional(),
					withAtProvider(observed(gateway(gwAddress(secondaryEIP(secAllocB, assocB, types.NatGatewayAddressStatusSucceeded)))))),
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e, rec := newExternal(tc.m.fake(), t0)
			e.found = tc.found
			_, err := e.Update(context.Background(), tc.cr)
			if diff := cmp.Diff(tc.want.err, err, equateErrors()); diff != "" {
				t.Errorf("\n%s\ne.Update(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.cr, tc.cr, crOpts...); diff != "" {
				t.Errorf("\n%s\ne.Update(...): -want NATGateway, +got NATGateway:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.mutations, tc.m.log, sdkOpts...); diff != "" {
				t.Errorf("\n%s\ne.Update(...): -want EC2 calls, +got EC2 calls:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.events, rec.events, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\ne.Update(...): -want events, +got events:\n%s", tc.reason, diff)
			}
		})
	}
}
