// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
)

// describeReturns fakes DescribeNatGateways for natID, answering with gws,
// and answers the listing of the gateways tagged for a deleted NATGateway
// with none.
func describeReturns(gws ...types.NatGateway) *fake.EC2 {
	return &fake.EC2{MockDescribeNatGateways: func(_ context.Context, in *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
		if len(in.Filter) > 0 && len(in.NatGatewayIds) == 0 {
			return &ec2.DescribeNatGatewaysOutput{}, nil
		}
		if diff := cmp.Diff([]string{natID}, in.NatGatewayIds); diff != "" || len(in.Filter) > 0 {
			return nil, errors.Errorf("unexpected DescribeNatGateways input: %v %v", in.NatGatewayIds, in.Filter)
		}
		return &ec2.DescribeNatGatewaysOutput{NatGateways: gws}, nil
	}}
}

// describeFails fakes DescribeNatGateways failing with err.
func describeFails(err error) *fake.EC2 {
	return &fake.EC2{MockDescribeNatGateways: func(context.Context, *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
		return nil, err
	}}
}

// purgedAndOwned fakes DescribeNatGateways by ID answering NatGatewayNotFound,
// and the listing of the gateways tagged for a deleted NATGateway answering
// gws.
func purgedAndOwned(gws ...types.NatGateway) *fake.EC2 {
	return &fake.EC2{MockDescribeNatGateways: func(_ context.Context, in *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
		if len(in.NatGatewayIds) > 0 {
			return nil, apiError(ec2client.CodeNatGatewayNotFound)
		}
		return &ec2.DescribeNatGatewaysOutput{NatGateways: gws}, nil
	}}
}

// healingRecord is a record of one recreation of previous, found in state,
// by natID at t.
func healingRecord(previous, state string, t time.Time) *v1alpha1.Healing {
	return &v1alpha1.Healing{Recreations: 1, Last: &v1alpha1.HealingEvent{PreviousID: previous, FoundState: state, NewID: natID, Time: metav1.NewTime(t)}}
}

const healingJSON = `{"recreations":1,"last":{"previousId":"` + otherNatID + `","foundState":"deleted","newId":"` + natID + `","time":"2026-03-14T09:26:53Z"}}`

func withPolicies(p ...xpv2.ManagementAction) func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) { cr.SetManagementPolicies(p) }
}

func withHealing(h *v1alpha1.Healing) func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) { cr.Status.AtProvider.Healing = h }
}

func TestObserve(t *testing.T) {
	failed := gwFailure("Resource.AlreadyAssociated", "Elastic IP address "+allocID+" is already associated")
	failedMsg := "NAT gateway " + natID + " failed: Resource.AlreadyAssociated: Elastic IP address " + allocID + " is already associated"
	// A failed gateway that replaced a failed one 1m after t0, and followed
	// two failed gateways in a row: its backoff is 30s*4 = 2m.
	streak := []func(*v1alpha1.NATGateway){
		withExternalName(natID),
		withAnnotation(healing.AnnotationKey, failedHealingOf(2, 2, otherNatID, natID, t0)),
	}
	// The same gateway as an earlier version wrote it: the streak in an
	// annotation of its own.
	legacyStreak := []func(*v1alpha1.NATGateway){
		withExternalName(natID),
		withAnnotation(healing.AnnotationKey, healingOf(2, otherNatID, "failed", natID, t0)),
		withAnnotation(legacyFailedStreak, "2"),
	}
	streakHealing := &v1alpha1.Healing{Recreations: 2, FailedStreak: 2, Last: &v1alpha1.HealingEvent{PreviousID: otherNatID, FoundState: v1alpha1.FoundStateFailed, NewID: natID, Time: metav1.NewTime(t0)}}

	type want struct {
		cr       *v1alpha1.NATGateway
		exists   bool
		upToDate bool
		diff     bool
		found    *found
		events   []event.Event
		err      error
	}
	cases := map[string]struct {
		reason string
		ec2    *fake.EC2
		now    time.Time
		cr     *v1alpha1.NATGateway
		want   want
	}{
		"NoExternalName": {
			reason: "A NATGateway without an external name has no gateway yet; EC2 is not asked.",
			ec2:    &fake.EC2{},
			cr:     natGateway(),
			want:   want{cr: natGateway()},
		},
		"ObserveOnlyWithoutExternalName": {
			reason: "An observe-only NATGateway that names no gateway says so, where it would look, and how to fix it; EC2 is not asked.",
			ec2:    &fake.EC2{},
			cr:     natGateway(withPolicies(xpv2.ManagementActionObserve)),
			want: want{
				cr: natGateway(withPolicies(xpv2.ManagementActionObserve)),
				err: errors.New("NATGateway names no NAT gateway to observe in region us-east-1: its crossplane.io/external-name annotation is empty, and spec.managementPolicies do not allow Create, so the provider cannot create one; " +
					"set the annotation to the ID of an existing gateway, such as nat-0123456789abcdef0, or add Create to spec.managementPolicies"),
			},
		},
		"ObserveOnlyNotFound": {
			reason: "An observe-only NATGateway whose gateway EC2 does not know names the gateway, the region and that it cannot be created.",
			ec2:    describeFails(apiError(ec2client.CodeNatGatewayNotFound)),
			cr:     natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve)),
			want: want{
				cr: natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve)),
				err: errors.New("EC2 knows no NAT gateway " + natID + " in region us-east-1, named by the crossplane.io/external-name annotation; spec.managementPolicies do not allow Create, so the provider cannot create it; " +
					"set the annotation to the ID of a gateway of region us-east-1, or add Create to spec.managementPolicies"),
			},
		},
		"NotFoundWithoutCreate": {
			reason: "Management policies that allow everything but Create cannot create a purged gateway either, and say so.",
			ec2:    describeReturns(),
			cr:     natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve, xpv2.ManagementActionUpdate, xpv2.ManagementActionDelete)),
			want: want{
				cr: natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve, xpv2.ManagementActionUpdate, xpv2.ManagementActionDelete)),
				err: errors.New("EC2 knows no NAT gateway " + natID + " in region us-east-1, named by the crossplane.io/external-name annotation; spec.managementPolicies do not allow Create, so the provider cannot create it; " +
					"set the annotation to the ID of a gateway of region us-east-1, or add Create to spec.managementPolicies"),
			},
		},
		"NotFoundError": {
			reason: "A gateway EC2 answers NatGatewayNotFound for was purged: it does not exist, and Create learns it was not found.",
			ec2:    describeFails(apiError(ec2client.CodeNatGatewayNotFound)),
			cr:     natGateway(withExternalName(natID), withAtProvider(observed(gateway()))),
			want: want{
				cr:    natGateway(withExternalName(natID)),
				found: &found{id: natID, state: v1alpha1.FoundStateNotFound},
			},
		},
		"NotListedYet": {
			reason: "A gateway created moments ago that EC2 does not list yet exists: EC2 is eventually consistent, and creating another would duplicate it.",
			ec2:    describeFails(apiError(ec2client.CodeNatGatewayNotFound)),
			now:    t0.Add(10 * time.Second),
			cr:     natGateway(withExternalName(natID), withAnnotation(meta.AnnotationKeyExternalCreateSucceeded, t0.Format(time.RFC3339))),
			want: want{
				cr: natGateway(withExternalName(natID), withAnnotation(meta.AnnotationKeyExternalCreateSucceeded, t0.Format(time.RFC3339)),
					withConditions(xpv2.Unavailable().WithMessage("waiting for EC2 to list NAT gateway "+natID+", created moments ago"))),
				exists:   true,
				upToDate: true,
			},
		},
		"NotListedAfterGracePeriod": {
			reason: "A gateway EC2 still does not list 30s after its creation was purged: it does not exist.",
			ec2:    describeFails(apiError(ec2client.CodeNatGatewayNotFound)),
			now:    t0.Add(30 * time.Second),
			cr:     natGateway(withExternalName(natID), withAnnotation(meta.AnnotationKeyExternalCreateSucceeded, t0.Format(time.RFC3339))),
			want: want{
				cr:    natGateway(withExternalName(natID), withAnnotation(meta.AnnotationKeyExternalCreateSucceeded, t0.Format(time.RFC3339))),
				found: &found{id: natID, state: v1alpha1.FoundStateNotFound},
			},
		},
		"DeletedRightAfterCreation": {
			reason: "A gateway EC2 lists as deleted moments after its creation does not exist: the grace period covers only gateways EC2 does not list.",
			ec2:    describeReturns(gateway(gwState(types.NatGatewayStateDeleted))),
			now:    t0.Add(10 * time.Second),
			cr:     natGateway(withExternalName(natID), withAnnotation(meta.AnnotationKeyExternalCreateSucceeded, t0.Format(time.RFC3339))),
			want: want{
				cr: natGateway(withExternalName(natID), withAnnotation(meta.AnnotationKeyExternalCreateSucceeded, t0.Format(time.RFC3339)),
					withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleted)))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" is deleted"))),
				found:  &found{id: natID, state: v1alpha1.FoundStateDeleted},
				events: []event.Event{event.Warning(reasonGatewayDeleted, errors.New("NAT gateway "+natID+" was deleted outside Crossplane; creating a new one"))},
			},
		},
		"EmptyList": {
			reason: "An endpoint that answers a purged gateway with an empty list (moto) means the same as NatGatewayNotFound.",
			ec2:    describeReturns(),
			cr:     natGateway(withExternalName(natID)),
			want: want{
				cr:    natGateway(withExternalName(natID)),
				found: &found{id: natID, state: v1alpha1.FoundStateNotFound},
			},
		},
		"NotFoundWhileDeleting": {
			reason: "A gateway that is gone while the NATGateway is being deleted does not exist, so the finalizer goes.",
			ec2:    purgedAndOwned(),
			cr:     natGateway(withExternalName(natID), withDeletionTimestamp()),
			want: want{
				cr:    natGateway(withExternalName(natID), withDeletionTimestamp()),
				found: &found{id: natID, state: v1alpha1.FoundStateNotFound},
			},
		},
		"DescribeError": {
			reason: "Any other error describing the gateway is returned.",
			ec2:    describeFails(errBoom),
			cr:     natGateway(withExternalName(natID)),
			want:   want{cr: natGateway(withExternalName(natID)), err: errBoom},
		},
		"Deleted": {
			reason: "A gateway EC2 still lists as deleted does not exist; a Warning event names it and Create learns it was deleted.",
			ec2:    describeReturns(gateway(gwState(types.NatGatewayStateDeleted))),
			cr:     natGateway(withExternalName(natID)),
			want: want{
				cr: natGateway(withExternalName(natID),
					withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleted)))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" is deleted"))),
				found:  &found{id: natID, state: v1alpha1.FoundStateDeleted},
				events: []event.Event{event.Warning(reasonGatewayDeleted, errors.New("NAT gateway "+natID+" was deleted outside Crossplane; creating a new one"))},
			},
		},
		"DeletedObserveOnly": {
			reason: "A deleted gateway of an observe-only NATGateway does not exist; the Warning says that no new one is created, since the management policies do not allow it.",
			ec2:    describeReturns(gateway(gwState(types.NatGatewayStateDeleted))),
			cr:     natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve)),
			want: want{
				cr: natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve),
					withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleted)))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" is deleted"))),
				found:  &found{id: natID, state: v1alpha1.FoundStateDeleted},
				events: []event.Event{event.Warning(reasonGatewayDeleted, errors.New("NAT gateway "+natID+" was deleted outside Crossplane; the management policies do not allow creating a new one"))},
			},
		},
		"DeletedWithoutCreate": {
			reason: "Management policies that allow everything but Create do not create a new gateway either.",
			ec2:    describeReturns(gateway(gwState(types.NatGatewayStateDeleted))),
			cr:     natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve, xpv2.ManagementActionUpdate, xpv2.ManagementActionDelete, xpv2.ManagementActionLateInitialize)),
			want: want{
				cr: natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve, xpv2.ManagementActionUpdate, xpv2.ManagementActionDelete, xpv2.ManagementActionLateInitialize),
					withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleted)))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" is deleted"))),
				found:  &found{id: natID, state: v1alpha1.FoundStateDeleted},
				events: []event.Event{event.Warning(reasonGatewayDeleted, errors.New("NAT gateway "+natID+" was deleted outside Crossplane; the management policies do not allow creating a new one"))},
			},
		},
		"DeletedCreateAllowed": {
			reason: "Management policies that list Create, without '*', create a new gateway, and the Warning says so.",
			ec2:    describeReturns(gateway(gwState(types.NatGatewayStateDeleted))),
			cr:     natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve, xpv2.ManagementActionCreate, xpv2.ManagementActionUpdate)),
			want: want{
				cr: natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve, xpv2.ManagementActionCreate, xpv2.ManagementActionUpdate),
					withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleted)))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" is deleted"))),
				found:  &found{id: natID, state: v1alpha1.FoundStateDeleted},
				events: []event.Event{event.Warning(reasonGatewayDeleted, errors.New("NAT gateway "+natID+" was deleted outside Crossplane; creating a new one"))},
			},
		},
		"DeletedAllPolicies": {
			reason: "The default management policy '*' creates a new gateway.",
			ec2:    describeReturns(gateway(gwState(types.NatGatewayStateDeleted))),
			cr:     natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionAll)),
			want: want{
				cr: natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionAll),
					withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleted)))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" is deleted"))),
				found:  &found{id: natID, state: v1alpha1.FoundStateDeleted},
				events: []event.Event{event.Warning(reasonGatewayDeleted, errors.New("NAT gateway "+natID+" was deleted outside Crossplane; creating a new one"))},
			},
		},
		"DeletedWhileDeleting": {
			reason: "A deleted gateway while the NATGateway is being deleted does not exist, and is no surprise: no event.",
			ec2:    describeReturns(gateway(gwState(types.NatGatewayStateDeleted))),
			cr:     natGateway(withExternalName(natID), withDeletionTimestamp()),
			want: want{
				cr: natGateway(withExternalName(natID), withDeletionTimestamp(),
					withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleted)))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" is deleted"))),
				found: &found{id: natID, state: v1alpha1.FoundStateDeleted},
			},
		},
		"DeletedForReplacement": {
			reason: "A deleted gateway whose primary address no longer matches the spec was deleted to be replaced: found replaced, no Warning.",
			ec2:    describeReturns(gateway(gwState(types.NatGatewayStateDeleted))),
			cr:     natGateway(withExternalName(natID), withAllocation(newAllocID)),
			want: want{
				cr: natGateway(withExternalName(natID), withAllocation(newAllocID),
					withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleted)))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" is deleted"))),
				found: &found{id: natID, state: v1alpha1.FoundStateReplaced},
			},
		},
		"Deleting": {
			reason: "A deleting gateway exists and is not ready; nothing is to be updated while it goes.",
			ec2:    describeReturns(gateway(gwState(types.NatGatewayStateDeleting))),
			cr:     natGateway(withExternalName(natID)),
			want: want{
				cr: natGateway(withExternalName(natID),
					withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleting)))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" is deleting"))),
				exists:   true,
				upToDate: true,
			},
		},
		"DeletingWhileDeleting": {
			reason: "While the NATGateway is being deleted, a deleting gateway still exists, so the finalizer waits for EC2.",
			ec2:    describeReturns(gateway(gwState(types.NatGatewayStateDeleting))),
			cr:     natGateway(withExternalName(natID), withDeletionTimestamp()),
			want: want{
				cr: natGateway(withExternalName(natID), withDeletionTimestamp(),
					withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleting)))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" is deleting"))),
				exists:   true,
				upToDate: true,
			},
		},
		"Pending": {
			reason: "A pending gateway exists, is not ready and is up to date: tags are not touched before it is available.",
			ec2:    describeReturns(gateway(gwState(types.NatGatewayStatePending), gwTags(nil))),
			cr:     natGateway(withExternalName(natID)),
			want: want{
				cr: natGateway(withExternalName(natID),
					withAtProvider(observed(gateway(gwState(types.NatGatewayStatePending), gwTags(nil)))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" is pending"))),
				exists:   true,
				upToDate: true,
			},
		},
		"Available": {
			reason: "An available gateway with the desired tags and addresses exists, is ready and up to date.",
			ec2:    describeReturns(gateway()),
			cr:     natGateway(withExternalName(natID)),
			want: want{
				cr:       natGateway(withExternalName(natID), withAtProvider(observed(gateway())), withConditions(xpv2.Available())),
				exists:   true,
				upToDate: true,
			},
		},
		"AvailableWhileDeleting": {
			reason: "While the NATGateway is being deleted, an available gateway exists so that Delete is called.",
			ec2:    describeReturns(gateway(gwTags(nil))),
			cr:     natGateway(withExternalName(natID), withDeletionTimestamp()),
			want: want{
				cr:     natGateway(withExternalName(natID), withDeletionTimestamp(), withAtProvider(observed(gateway(gwTags(nil)))), withConditions(xpv2.Available())),
				exists: true,
			},
		},
		"AWSTagsIgnored": {
			reason: "Tags of AWS (aws:) are never part of the comparison.",
			ec2:    describeReturns(gateway(gwTags(merge(ownership(), map[string]string{"aws:cloudformation:stack-name": "net"})))),
			cr:     natGateway(withExternalName(natID)),
			want: want{
				cr: natGateway(withExternalName(natID),
					withAtProvider(observed(gateway(gwTags(merge(ownership(), map[string]string{"aws:cloudformation:stack-name": "net"}))))),
					withConditions(xpv2.Available())),
				exists:   true,
				upToDate: true,
			},
		},
		"TagDrift": {
			reason: "An available gateway whose tags differ from the desired ones is not up to date.",
			ec2:    describeReturns(gateway(gwTags(merge(ownership(), map[string]string{"team": "old"})))),
			cr:     natGateway(withExternalName(natID), withTags(map[string]string{"team": "net"})),
			want: want{
				cr: natGateway(withExternalName(natID), withTags(map[string]string{"team": "net"}),
					withAtProvider(observed(gateway(gwTags(merge(ownership(), map[string]string{"team": "old"}))))),
					withConditions(xpv2.Available())),
				exists: true,
				diff:   true,
			},
		},
		"AddressDrift": {
			reason: "An available gateway missing a secondary Elastic IP address of the spec is not up to date.",
			ec2:    describeReturns(gateway()),
			cr:     natGateway(withExternalName(natID), withSecondaryAllocations(secAllocA)),
			want: want{
				cr:     natGateway(withExternalName(natID), withSecondaryAllocations(secAllocA), withAtProvider(observed(gateway())), withConditions(xpv2.Available())),
				exists: true,
				diff:   true,
			},
		},
		"AddressInTransition": {
			reason: "An address EC2 is still associating makes the gateway not up to date until it settles.",
			ec2:    describeReturns(gateway(gwAddress(secondaryEIP(secAllocA, assocA, types.NatGatewayAddressStatusAssociating)))),
			cr:     natGateway(withExternalName(natID), withSecondaryAllocations(secAllocA)),
			want: want{
				cr: natGateway(withExternalName(natID), withSecondaryAllocations(secAllocA),
					withAtProvider(observed(gateway(gwAddress(secondaryEIP(secAllocA, assocA, types.NatGatewayAddressStatusAssociating))))),
					withConditions(xpv2.Available())),
				exists: true,
				diff:   true,
			},
		},
		"ReplacementNeeded": {
			reason: "An available gateway whose primary address is not the spec's allocationId (its ElasticIP was allocated again) is not up to date.",
			ec2:    describeReturns(gateway()),
			cr:     natGateway(withExternalName(natID), withAllocation(newAllocID)),
			want: want{
				cr:     natGateway(withExternalName(natID), withAllocation(newAllocID), withAtProvider(observed(gateway())), withConditions(xpv2.Available())),
				exists: true,
				diff:   true,
			},
		},
		"FailedBackoffPending": {
			reason: "A failed gateway whose backoff has not elapsed exists and is not ready; the condition carries EC2's failure code and message.",
			ec2:    describeReturns(gateway(failed)),
			now:    t0.Add(10 * time.Second),
			cr:     natGateway(withExternalName(natID)),
			want: want{
				cr: natGateway(withExternalName(natID), withAtProvider(observed(gateway(failed))),
					withConditions(xpv2.Unavailable().WithMessage(failedMsg+"; it is replaced with exponential backoff"))),
				exists:   true,
				upToDate: true,
			},
		},
		"FailedBackoffElapsed": {
			reason: "A failed gateway whose backoff has elapsed does not exist, so Create replaces it; a Warning event says why.",
			ec2:    describeReturns(gateway(failed)),
			now:    t0.Add(30 * time.Second),
			cr:     natGateway(withExternalName(natID)),
			want: want{
				cr: natGateway(withExternalName(natID), withAtProvider(observed(gateway(failed))),
					withConditions(xpv2.Unavailable().WithMessage(failedMsg+"; it is replaced with exponential backoff"))),
				found:  &found{id: natID, state: v1alpha1.FoundStateFailed},
				events: []event.Event{event.Warning(reasonGatewayFailed, errors.New(failedMsg+"; creating a new one"))},
			},
		},
		"FailedObserveOnlyBackoffPending": {
			reason: "A failed gateway of an observe-only NATGateway is not ready, and its condition says it is not replaced, since the management policies do not allow it.",
			ec2:    describeReturns(gateway(failed)),
			now:    t0.Add(10 * time.Second),
			cr:     natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve)),
			want: want{
				cr: natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve), withAtProvider(observed(gateway(failed))),
					withConditions(xpv2.Unavailable().WithMessage(failedMsg+"; the management policies do not allow replacing it"))),
				exists:   true,
				upToDate: true,
			},
		},
		"FailedObserveOnlyBackoffElapsed": {
			reason: "A failed gateway of an observe-only NATGateway still exists once its backoff has elapsed: EC2 lists it and nothing may replace it.",
			ec2:    describeReturns(gateway(failed)),
			now:    t0.Add(30 * time.Second),
			cr:     natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve)),
			want: want{
				cr: natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve), withAtProvider(observed(gateway(failed))),
					withConditions(xpv2.Unavailable().WithMessage(failedMsg+"; the management policies do not allow replacing it"))),
				exists:   true,
				upToDate: true,
			},
		},
		"FailedStreakBackoffPending": {
			reason: "A failed gateway after two failed gateways in a row waits 30s*2^2 = 2m from its creation.",
			ec2:    describeReturns(gateway(failed)),
			now:    t0.Add(119 * time.Second),
			cr:     natGateway(streak...),
			want: want{
				cr: natGateway(append(streak, withAtProvider(observed(gateway(failed))), withHealing(streakHealing),
					withConditions(xpv2.Unavailable().WithMessage(failedMsg+"; it is replaced with exponential backoff")))...),
				exists:   true,
				upToDate: true,
			},
		},
		"FailedStreakBackoffElapsed": {
			reason: "A failed gateway after two failed gateways in a row is replaced 2m after its creation.",
			ec2:    describeReturns(gateway(failed)),
			now:    t0.Add(2 * time.Minute),
			cr:     natGateway(streak...),
			want: want{
				cr: natGateway(append(streak, withAtProvider(observed(gateway(failed))), withHealing(streakHealing),
					withConditions(xpv2.Unavailable().WithMessage(failedMsg+"; it is replaced with exponential backoff")))...),
				found:  &found{id: natID, state: v1alpha1.FoundStateFailed},
				events: []event.Event{event.Warning(reasonGatewayFailed, errors.New(failedMsg+"; creating a new one"))},
			},
		},
		"LegacyFailedStreakBackoffPending": {
			reason: "A failed streak an earlier version wrote in its own annotation still delays the replacement: 30s*2^2 = 2m.",
			ec2:    describeReturns(gateway(failed)),
			now:    t0.Add(119 * time.Second),
			cr:     natGateway(legacyStreak...),
			want: want{
				cr: natGateway(append(legacyStreak, withAtProvider(observed(gateway(failed))), withHealing(streakHealing),
					withConditions(xpv2.Unavailable().WithMessage(failedMsg+"; it is replaced with exponential backoff")))...),
				exists:   true,
				upToDate: true,
			},
		},
		"LegacyFailedStreakBackoffElapsed": {
			reason: "A failed gateway with a failed streak an earlier version wrote is replaced 2m after its creation.",
			ec2:    describeReturns(gateway(failed)),
			now:    t0.Add(2 * time.Minute),
			cr:     natGateway(legacyStreak...),
			want: want{
				cr: natGateway(append(legacyStreak, withAtProvider(observed(gateway(failed))), withHealing(streakHealing),
					withConditions(xpv2.Unavailable().WithMessage(failedMsg+"; it is replaced with exponential backoff")))...),
				found:  &found{id: natID, state: v1alpha1.FoundStateFailed},
				events: []event.Event{event.Warning(reasonGatewayFailed, errors.New(failedMsg+"; creating a new one"))},
			},
		},
		"FailedReport": {
			reason: "With spec.onFailed Report a failed gateway is only reported, however long ago it failed.",
			ec2:    describeReturns(gateway(failed)),
			now:    t0.Add(24 * time.Hour),
			cr:     natGateway(withExternalName(natID), withOnFailed(v1alpha1.OnFailedReport)),
			want: want{
				cr: natGateway(withExternalName(natID), withOnFailed(v1alpha1.OnFailedReport), withAtProvider(observed(gateway(failed))),
					withConditions(xpv2.Unavailable().WithMessage(failedMsg+"; spec.onFailed is Report, so it is not replaced"))),
				exists:   true,
				upToDate: true,
			},
		},
		"FailedWhileDeleting": {
			reason: "While the NATGateway is being deleted, a failed gateway does not exist: EC2 removes it by itself and DeleteNatGateway changes nothing, so the finalizer does not wait about an hour for it; it is not replaced.",
			ec2:    describeReturns(gateway(failed)),
			now:    t0.Add(time.Hour),
			cr:     natGateway(withExternalName(natID), withDeletionTimestamp()),
			want: want{
				cr: natGateway(withExternalName(natID), withDeletionTimestamp(), withAtProvider(observed(gateway(failed))),
					withConditions(xpv2.Unavailable().WithMessage(failedMsg))),
				exists: false,
			},
		},
		"UnreadableFailedStreak": {
			reason: "A failed-streak annotation an earlier version wrote that is not a positive integer is an error, not a guess.",
			ec2:    describeReturns(gateway(failed)),
			now:    t0.Add(time.Hour),
			cr:     natGateway(append(legacyStreak, withAnnotation(legacyFailedStreak, "many"))...),
			want: want{
				cr:  natGateway(append(legacyStreak, withAnnotation(legacyFailedStreak, "many"))...),
				err: errors.New("cannot read the egresskit.io/failed-streak annotation: want a positive integer, got \"many\""),
			},
		},
		"HealingMirrored": {
			reason: "The healing record the last Create wrote to the annotation is mirrored into status.atProvider.healing.",
			ec2:    describeReturns(gateway()),
			cr:     natGateway(withExternalName(natID), withAnnotation(healing.AnnotationKey, healingJSON)),
			want: want{
				cr: natGateway(withExternalName(natID), withAnnotation(healing.AnnotationKey, healingJSON),
					withAtProvider(observed(gateway())), withHealing(healingRecord(otherNatID, v1alpha1.FoundStateDeleted, t0)),
					withConditions(xpv2.Available())),
				exists:   true,
				upToDate: true,
			},
		},
		"HealingMirroredWhenGone": {
			reason: "The healing record stays in status when the gateway is gone.",
			ec2:    describeReturns(),
			cr:     natGateway(withExternalName(natID), withAnnotation(healing.AnnotationKey, healingJSON)),
			want: want{
				cr: natGateway(withExternalName(natID), withAnnotation(healing.AnnotationKey, healingJSON),
					withHealing(healingRecord(otherNatID, v1alpha1.FoundStateDeleted, t0))),
				found: &found{id: natID, state: v1alpha1.FoundStateNotFound},
			},
		},
		"UnreadableHealing": {
			reason: "A healing annotation that cannot be read is an error; it is never silently dropped.",
			ec2:    &fake.EC2{},
			cr:     natGateway(withExternalName(natID), withAnnotation(healing.AnnotationKey, "{")),
			want: want{
				cr:  natGateway(withExternalName(natID), withAnnotation(healing.AnnotationKey, "{")),
				err: errors.New("cannot read the egresskit.io/healing annotation: unexpected end of JSON input"),
			},
		},
		"UnreadableHealingWhileDeleting": {
			reason: "An unreadable healing annotation does not block the deletion of the NATGateway.",
			ec2:    describeReturns(gateway(gwState(types.NatGatewayStateDeleted))),
			cr:     natGateway(withExternalName(natID), withDeletionTimestamp(), withAnnotation(healing.AnnotationKey, "{")),
			want: want{
				cr: natGateway(withExternalName(natID), withDeletionTimestamp(), withAnnotation(healing.AnnotationKey, "{"),
					withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleted)))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" is deleted"))),
				found: &found{id: natID, state: v1alpha1.FoundStateDeleted},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e, rec := newExternal(tc.ec2, tc.now)
			got, err := e.Observe(context.Background(), tc.cr)
			if diff := cmp.Diff(tc.want.err, err, equateErrors()); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.cr, tc.cr, crOpts...); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want NATGateway, +got NATGateway:\n%s", tc.reason, diff)
			}
			wantObs := managed.ExternalObservation{ResourceExists: tc.want.exists, ResourceUpToDate: tc.want.upToDate}
			if diff := cmp.Diff(wantObs, got, cmpopts.IgnoreFields(managed.ExternalObservation{}, "Diff")); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want observation, +got observation:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.diff, got.Diff != ""); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want a diff, +got a diff (%q):\n%s", tc.reason, got.Diff, diff)
			}
			if diff := cmp.Diff(tc.want.found, e.found, cmp.AllowUnexported(found{})); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want found, +got found:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.events, rec.events, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want events, +got events:\n%s", tc.reason, diff)
			}
		})
	}
}
