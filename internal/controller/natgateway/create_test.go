// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
)

// ownedFilter is how Create looks for live gateways made for the NATGateway
// with the given UID.
func ownedFilter(uid string) []types.Filter {
	return []types.Filter{
		{Name: aws.String("tag:" + ec2client.TagUID), Values: []string{uid}},
		{Name: aws.String("state"), Values: []string{"pending", "available"}},
	}
}

// ec2Calls fakes the EC2 calls of Create. owned answers the successive
// searches for owned gateways (the last answer repeats); create answers
// CreateNatGateway and records its input.
type ec2Calls struct {
	uid    string // testUID when empty
	owned  [][]types.NatGateway
	create func(*ec2.CreateNatGatewayInput) (*ec2.CreateNatGatewayOutput, error)

	searches int
	inputs   []*ec2.CreateNatGatewayInput
}

func (c *ec2Calls) fake() *fake.EC2 {
	f := &fake.EC2{MockDescribeNatGateways: func(_ context.Context, in *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
		uid := c.uid
		if uid == "" {
			uid = testUID
		}
		if diff := cmp.Diff(ownedFilter(uid), in.Filter, cmpopts.IgnoreUnexported(types.Filter{})); diff != "" || len(in.NatGatewayIds) > 0 {
			return nil, errors.Errorf("unexpected DescribeNatGateways input: %v %s", in.NatGatewayIds, diff)
		}
		if len(c.owned) == 0 {
			return &ec2.DescribeNatGatewaysOutput{}, nil
		}
		i := min(c.searches, len(c.owned)-1)
		c.searches++
		return &ec2.DescribeNatGatewaysOutput{NatGateways: c.owned[i]}, nil
	}}
	if c.create != nil {
		f.MockCreateNatGateway = func(_ context.Context, in *ec2.CreateNatGatewayInput) (*ec2.CreateNatGatewayOutput, error) {
			c.inputs = append(c.inputs, in)
			return c.create(in)
		}
	}
	return f
}

// creates answers CreateNatGateway with a pending gateway id.
func creates(id string) func(*ec2.CreateNatGatewayInput) (*ec2.CreateNatGatewayOutput, error) {
	return func(in *ec2.CreateNatGatewayInput) (*ec2.CreateNatGatewayOutput, error) {
		return &ec2.CreateNatGatewayOutput{ClientToken: in.ClientToken, NatGateway: &types.NatGateway{NatGatewayId: aws.String(id), State: types.NatGatewayStatePending}}, nil
	}
}

func createFails(err error) func(*ec2.CreateNatGatewayInput) (*ec2.CreateNatGatewayOutput, error) {
	return func(*ec2.CreateNatGatewayInput) (*ec2.CreateNatGatewayOutput, error) { return nil, err }
}

// recreations returns the counts of the recreations counter by reason.
func recreations(e *external) map[string]float64 {
	m := map[string]float64{}
	for _, r := range recreationReasons() {
		m[r] = testutil.ToFloat64(e.recreations.WithLabelValues(r))
	}
	return m
}

func counted(reason string) map[string]float64 {
	m := map[string]float64{}
	for _, r := range recreationReasons() {
		m[r] = 0
	}
	if reason != "" {
		m[reason] = 1
	}
	return m
}

// healingOf returns the healing annotation of one recreation of previous,
// found in state, by id at t.
func healingOf(recreations int, previous, state, id string, t time.Time) string {
	return fmt.Sprintf(`{"recreations":%d,"last":{"previousId":%q,"foundState":%q,"newId":%q,"time":%q}}`, recreations, previous, state, id, t.UTC().Format(time.RFC3339))
}

// failedHealingOf is the healing annotation of a NATGateway whose last
// recreation replaced failed gateway previous with id, after streak failed
// gateways in a row.
func failedHealingOf(recreations, streak int, previous, id string, t time.Time) string {
	return fmt.Sprintf(`{"recreations":%d,"failedStreak":%d,"last":{"previousId":%q,"foundState":"failed","newId":%q,"time":%q}}`, recreations, streak, previous, id, t.UTC().Format(time.RFC3339))
}

// legacyFailedStreak is the annotation that held the failed streak before
// the healing record did: objects written then carry it.
const legacyFailedStreak = "egresskit.io/failed-streak"

// publicInput is the CreateNatGatewayInput of the default NATGateway.
func publicInput(token string) *ec2.CreateNatGatewayInput {
	return &ec2.CreateNatGatewayInput{
		ClientToken:       aws.String(token),
		SubnetId:          aws.String(subnetID),
		AllocationId:      aws.String(allocID),
		TagSpecifications: ec2client.TagSpecifications(types.ResourceTypeNatgateway, ownership()),
	}
}

func TestCreate(t *testing.T) {
	now := t0.Add(30 * time.Second)
	type want struct {
		cr      *v1alpha1.NATGateway
		inputs  []*ec2.CreateNatGatewayInput
		details managed.AdditionalDetails
		events  []event.Event
		counts  map[string]float64
		err     error
	}
	cases := map[string]struct {
		reason string
		calls  *ec2Calls
		found  *found
		cr     *v1alpha1.NATGateway
		want   want
	}{
		"First": {
			reason: "The first gateway is created with the token of the UID and no previous ID, tagged, and its ID becomes the external name; it is no healing.",
			calls:  &ec2Calls{create: creates(natID)},
			cr:     natGateway(),
			want: want{
				cr:     natGateway(withExternalName(natID)),
				inputs: []*ec2.CreateNatGatewayInput{publicInput(clientToken(testUID, ""))},
				counts: counted(""),
			},
		},
		"RecreateDeleted": {
			reason: "A gateway found deleted is replaced with the token of its ID; the healing is recorded in the annotation, an event names both IDs and it is counted.",
			calls:  &ec2Calls{create: creates(newNatID)},
			found:  &found{id: natID, state: v1alpha1.FoundStateDeleted},
			cr:     natGateway(withExternalName(natID)),
			want: want{
				cr: natGateway(withExternalName(newNatID),
					withAnnotation(healing.AnnotationKey, healingOf(1, natID, "deleted", newNatID, now))),
				inputs:  []*ec2.CreateNatGatewayInput{publicInput(clientToken(testUID, natID))},
				details: managed.AdditionalDetails{"previousId": natID, "foundState": "deleted"},
				events:  []event.Event{event.Normal(reasonRecreated, "Recreated NAT gateway "+natID+" (found deleted) as "+newNatID)},
				counts:  counted(v1alpha1.FoundStateDeleted),
			},
		},
		"RecreateNotFound": {
			reason: "A purged gateway is replaced and recorded as not found.",
			calls:  &ec2Calls{create: creates(newNatID)},
			found:  &found{id: natID, state: v1alpha1.FoundStateNotFound},
			cr:     natGateway(withExternalName(natID), withAnnotation(healing.AnnotationKey, healingOf(1, otherNatID, "deleted", natID, t0))),
			want: want{
				cr: natGateway(withExternalName(newNatID),
					withAnnotation(healing.AnnotationKey, healingOf(2, natID, "not-found", newNatID, now))),
				inputs:  []*ec2.CreateNatGatewayInput{publicInput(clientToken(testUID, natID))},
				details: managed.AdditionalDetails{"previousId": natID, "foundState": "not-found"},
				events:  []event.Event{event.Normal(reasonRecreated, "Recreated NAT gateway "+natID+" (found not-found) as "+newNatID)},
				counts:  counted(v1alpha1.FoundStateNotFound),
			},
		},
		"RecreateReplaced": {
			reason: "A gateway deleted to take a new primary address is replaced and recorded as replaced.",
			calls:  &ec2Calls{create: creates(newNatID)},
			found:  &found{id: natID, state: v1alpha1.FoundStateReplaced},
			cr:     natGateway(withExternalName(natID), withAllocation(newAllocID)),
			want: want{
				cr: natGateway(withExternalName(newNatID), withAllocation(newAllocID),
					withAnnotation(healing.AnnotationKey, healingOf(1, natID, "replaced", newNatID, now))),
				inputs: []*ec2.CreateNatGatewayInput{func() *ec2.CreateNatGatewayInput {
					in := publicInput(clientToken(testUID, natID))
					in.AllocationId = aws.String(newAllocID)
					return in
				}()},
				details: managed.AdditionalDetails{"previousId": natID, "foundState": "replaced"},
				events:  []event.Event{event.Normal(reasonRecreated, "Recreated NAT gateway "+natID+" (found replaced) as "+newNatID)},
				counts:  counted(v1alpha1.FoundStateReplaced),
			},
		},
		"RecreateFailed": {
			reason: "A failed gateway is replaced by a new one (token of the failed ID) and starts a failed streak of one.",
			calls:  &ec2Calls{create: creates(newNatID)},
			found:  &found{id: natID, state: v1alpha1.FoundStateFailed},
			cr:     natGateway(withExternalName(natID)),
			want: want{
				cr: natGateway(withExternalName(newNatID),
					withAnnotation(healing.AnnotationKey, failedHealingOf(1, 1, natID, newNatID, now))),
				inputs:  []*ec2.CreateNatGatewayInput{publicInput(clientToken(testUID, natID))},
				details: managed.AdditionalDetails{"previousId": natID, "foundState": "failed"},
				events:  []event.Event{event.Normal(reasonRecreated, "Recreated NAT gateway "+natID+" (found failed) as "+newNatID)},
				counts:  counted(v1alpha1.FoundStateFailed),
			},
		},
		"RecreateFailedAgain": {
			reason: "A failed gateway that replaced two failed gateways in a row extends the streak to three.",
			calls:  &ec2Calls{create: creates(newNatID)},
			found:  &found{id: natID, state: v1alpha1.FoundStateFailed},
			cr: natGateway(withExternalName(natID),
				withAnnotation(healing.AnnotationKey, failedHealingOf(2, 2, otherNatID, natID, t0))),
			want: want{
				cr: natGateway(withExternalName(newNatID),
					withAnnotation(healing.AnnotationKey, failedHealingOf(3, 3, natID, newNatID, now))),
				inputs:  []*ec2.CreateNatGatewayInput{publicInput(clientToken(testUID, natID))},
				details: managed.AdditionalDetails{"previousId": natID, "foundState": "failed"},
				events:  []event.Event{event.Normal(reasonRecreated, "Recreated NAT gateway "+natID+" (found failed) as "+newNatID)},
				counts:  counted(v1alpha1.FoundStateFailed),
			},
		},
		"RecreateFailedAgainUpgraded": {
			reason: "A streak written by an earlier version in its own annotation is extended in the healing record, and the old annotation removed.",
			calls:  &ec2Calls{create: creates(newNatID)},
			found:  &found{id: natID, state: v1alpha1.FoundStateFailed},
			cr: natGateway(withExternalName(natID),
				withAnnotation(legacyFailedStreak, "2"),
				withAnnotation(healing.AnnotationKey, healingOf(2, otherNatID, "failed", natID, t0))),
			want: want{
				cr: natGateway(withExternalName(newNatID),
					withAnnotation(healing.AnnotationKey, failedHealingOf(3, 3, natID, newNatID, now))),
				inputs:  []*ec2.CreateNatGatewayInput{publicInput(clientToken(testUID, natID))},
				details: managed.AdditionalDetails{"previousId": natID, "foundState": "failed"},
				events:  []event.Event{event.Normal(reasonRecreated, "Recreated NAT gateway "+natID+" (found failed) as "+newNatID)},
				counts:  counted(v1alpha1.FoundStateFailed),
			},
		},
		"RecreateDeletedEndsFailedStreak": {
			reason: "Replacing a gateway that did not fail ends the failed streak.",
			calls:  &ec2Calls{create: creates(newNatID)},
			found:  &found{id: natID, state: v1alpha1.FoundStateDeleted},
			cr: natGateway(withExternalName(natID),
				withAnnotation(healing.AnnotationKey, failedHealingOf(2, 2, otherNatID, natID, t0))),
			want: want{
				cr: natGateway(withExternalName(newNatID),
					withAnnotation(healing.AnnotationKey, healingOf(3, natID, "deleted", newNatID, now))),
				inputs:  []*ec2.CreateNatGatewayInput{publicInput(clientToken(testUID, natID))},
				details: managed.AdditionalDetails{"previousId": natID, "foundState": "deleted"},
				events:  []event.Event{event.Normal(reasonRecreated, "Recreated NAT gateway "+natID+" (found deleted) as "+newNatID)},
				counts:  counted(v1alpha1.FoundStateDeleted),
			},
		},
		"AdoptLiveOwnedGateway": {
			reason: "A live gateway tagged with the UID, made by an earlier attempt whose answer was lost, is adopted: nothing is created.",
			calls:  &ec2Calls{owned: [][]types.NatGateway{{gateway(gwID(newNatID), gwState(types.NatGatewayStatePending))}}},
			found:  &found{id: natID, state: v1alpha1.FoundStateDeleted},
			cr:     natGateway(withExternalName(natID)),
			want: want{
				cr: natGateway(withExternalName(newNatID),
					withAnnotation(healing.AnnotationKey, healingOf(1, natID, "deleted", newNatID, now))),
				details: managed.AdditionalDetails{"previousId": natID, "foundState": "deleted"},
				events: []event.Event{
					event.Normal(reasonAdopted, "Adopted NAT gateway "+newNatID+", which was already made for this resource"),
					event.Normal(reasonRecreated, "Recreated NAT gateway "+natID+" (found deleted) as "+newNatID),
				},
				counts: counted(v1alpha1.FoundStateDeleted),
			},
		},
		"AdoptOnFirstCreation": {
			reason: "A live owned gateway is adopted on the first creation too (a crash before the external name was written); it is no healing.",
			calls:  &ec2Calls{owned: [][]types.NatGateway{{gateway()}}},
			cr:     natGateway(),
			want: want{
				cr:     natGateway(withExternalName(natID)),
				events: []event.Event{event.Normal(reasonAdopted, "Adopted NAT gateway "+natID+", which was already made for this resource")},
				counts: counted(""),
			},
		},
		"AdoptOldestOfDuplicates": {
			reason: "Of several live owned gateways the oldest is adopted and the others are reported, not touched.",
			calls: &ec2Calls{owned: [][]types.NatGateway{{
				gateway(gwID(otherNatID), gwCreated(t0.Add(time.Minute))),
				gateway(gwID(newNatID), gwCreated(t0)),
			}}},
			cr: natGateway(),
			want: want{
				cr: natGateway(withExternalName(newNatID)),
				events: []event.Event{
					event.Warning(reasonDuplicates, errors.New("NAT gateways "+otherNatID+" are also tagged egresskit.io/uid="+testUID+"; keeping "+newNatID+", the oldest, and leaving the others untouched")),
					event.Normal(reasonAdopted, "Adopted NAT gateway "+newNatID+", which was already made for this resource"),
				},
				counts: counted(""),
			},
		},
		"IgnoreOwnedPrevious": {
			reason: "The gateway being replaced is never adopted, whatever EC2's filter returned.",
			calls: &ec2Calls{
				owned:  [][]types.NatGateway{{gateway()}},
				create: creates(newNatID),
			},
			found: &found{id: natID, state: v1alpha1.FoundStateDeleted},
			cr:    natGateway(withExternalName(natID)),
			want: want{
				cr: natGateway(withExternalName(newNatID),
					withAnnotation(healing.AnnotationKey, healingOf(1, natID, "deleted", newNatID, now))),
				inputs:  []*ec2.CreateNatGatewayInput{publicInput(clientToken(testUID, natID))},
				details: managed.AdditionalDetails{"previousId": natID, "foundState": "deleted"},
				events:  []event.Event{event.Normal(reasonRecreated, "Recreated NAT gateway "+natID+" (found deleted) as "+newNatID)},
				counts:  counted(v1alpha1.FoundStateDeleted),
			},
		},
		"FilterIgnoredOtherOwner": {
			reason: "An endpoint that ignores the filters (moto) lists the gateways of other resources too: a gateway tagged with another UID, or untagged, is never adopted, and a gateway is created.",
			calls: &ec2Calls{
				owned: [][]types.NatGateway{{
					gateway(gwID(otherNatID), gwCreated(t0.Add(-time.Hour)), gwTags(merge(ownership(), map[string]string{ec2client.TagUID: otherUID}))),
					gateway(gwID(newNatID), gwCreated(t0.Add(-time.Hour)), gwTags(nil)),
				}},
				create: creates(natID),
			},
			cr: natGateway(),
			want: want{
				cr:     natGateway(withExternalName(natID)),
				inputs: []*ec2.CreateNatGatewayInput{publicInput(clientToken(testUID, ""))},
				counts: counted(""),
			},
		},
		"FilterIgnoredDeadOwned": {
			reason: "An endpoint that ignores the state filter lists deleted and failed gateways too: a gateway tagged with the UID that is not pending or available is never adopted.",
			calls: &ec2Calls{
				owned: [][]types.NatGateway{{
					gateway(gwID(otherNatID), gwState(types.NatGatewayStateDeleted)),
					gateway(gwID(newNatID), gwFailure("InsufficientFreeAddressesInSubnet", "Subnet has insufficient free addresses")),
				}},
				create: creates(natID),
			},
			cr: natGateway(),
			want: want{
				cr:     natGateway(withExternalName(natID)),
				inputs: []*ec2.CreateNatGatewayInput{publicInput(clientToken(testUID, ""))},
				counts: counted(""),
			},
		},
		"FilterIgnoredOwnedAmongOthers": {
			reason: "Among the gateways of an endpoint that ignores the filters, the live one tagged with the UID is adopted, however older the others are; they are no duplicates.",
			calls: &ec2Calls{owned: [][]types.NatGateway{{
				gateway(gwID(otherNatID), gwCreated(t0.Add(-time.Hour)), gwTags(merge(ownership(), map[string]string{ec2client.TagUID: otherUID}))),
				gateway(gwID(newNatID), gwCreated(t0)),
			}}},
			cr: natGateway(),
			want: want{
				cr:     natGateway(withExternalName(newNatID)),
				events: []event.Event{event.Normal(reasonAdopted, "Adopted NAT gateway "+newNatID+", which was already made for this resource")},
				counts: counted(""),
			},
		},
		"IdempotentParameterMismatch": {
			reason: "When EC2 refuses the token because the spec changed since the attempt that used it, the gateway that attempt made is found by its tag and adopted.",
			calls: &ec2Calls{
				owned:  [][]types.NatGateway{{}, {gateway(gwID(newNatID), gwState(types.NatGatewayStatePending))}},
				create: createFails(apiError(ec2client.CodeIdempotentParameterMismatch)),
			},
			found: &found{id: natID, state: v1alpha1.FoundStateDeleted},
			cr:    natGateway(withExternalName(natID), withTags(map[string]string{"team": "net"})),
			want: want{
				cr: natGateway(withExternalName(newNatID), withTags(map[string]string{"team": "net"}),
					withAnnotation(healing.AnnotationKey, healingOf(1, natID, "deleted", newNatID, now))),
				inputs: []*ec2.CreateNatGatewayInput{func() *ec2.CreateNatGatewayInput {
					in := publicInput(clientToken(testUID, natID))
					in.TagSpecifications = ec2client.TagSpecifications(types.ResourceTypeNatgateway, merge(ownership(), map[string]string{"team": "net"}))
					return in
				}()},
				details: managed.AdditionalDetails{"previousId": natID, "foundState": "deleted"},
				events: []event.Event{
					event.Normal(reasonAdopted, "Adopted NAT gateway "+newNatID+", which was already made for this resource"),
					event.Normal(reasonRecreated, "Recreated NAT gateway "+natID+" (found deleted) as "+newNatID),
				},
				counts: counted(v1alpha1.FoundStateDeleted),
			},
		},
		"IdempotentParameterMismatchNothingFound": {
			reason: "When EC2 refuses the token and no owned gateway can be found, Create fails and creates nothing else.",
			calls:  &ec2Calls{create: createFails(apiError(ec2client.CodeIdempotentParameterMismatch))},
			cr:     natGateway(),
			want: want{
				cr:     natGateway(),
				inputs: []*ec2.CreateNatGatewayInput{publicInput(clientToken(testUID, ""))},
				counts: counted(""),
				err:    errors.Wrapf(apiError(ec2client.CodeIdempotentParameterMismatch), "cannot create NAT gateway: EC2 refuses client token %s and reports no pending or available gateway tagged egresskit.io/uid=%s", clientToken(testUID, ""), testUID),
			},
		},
		"CreateError": {
			reason: "An error creating the gateway is returned and the external name is left alone.",
			calls:  &ec2Calls{create: createFails(errBoom)},
			found:  &found{id: natID, state: v1alpha1.FoundStateDeleted},
			cr:     natGateway(withExternalName(natID)),
			want: want{
				cr:     natGateway(withExternalName(natID)),
				inputs: []*ec2.CreateNatGatewayInput{publicInput(clientToken(testUID, natID))},
				counts: counted(""),
				err:    errBoom,
			},
		},
		"FindOwnedError": {
			reason: "An error looking for owned gateways is returned before anything is created.",
			calls:  nil,
			cr:     natGateway(),
			want: want{
				cr:     natGateway(),
				counts: counted(""),
				err:    errBoom,
			},
		},
		"MissingSubnet": {
			reason: "A zonal gateway without a subnet is a clear error before EC2 is asked (a management policy without Create let it stay unset).",
			calls:  &ec2Calls{},
			cr:     natGateway(func(cr *v1alpha1.NATGateway) { cr.Spec.ForProvider.SubnetID = nil }),
			want: want{
				cr:     natGateway(func(cr *v1alpha1.NATGateway) { cr.Spec.ForProvider.SubnetID = nil }),
				counts: counted(""),
				err:    errors.New("cannot create NAT gateway: spec.forProvider.subnetId is required for a zonal gateway"),
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			api := describeFails(errBoom)
			if tc.calls != nil {
				api = tc.calls.fake()
			}
			e, rec := newExternal(api, now)
			e.found = tc.found
			got, err := e.Create(context.Background(), tc.cr)
			if diff := cmp.Diff(tc.want.err, err, equateErrors()); diff != "" {
				t.Errorf("\n%s\ne.Create(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.cr, tc.cr, crOpts...); diff != "" {
				t.Errorf("\n%s\ne.Create(...): -want NATGateway, +got NATGateway:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(managed.ExternalCreation{AdditionalDetails: tc.want.details}, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\ne.Create(...): -want creation, +got creation:\n%s", tc.reason, diff)
			}
			var inputs []*ec2.CreateNatGatewayInput
			if tc.calls != nil {
				inputs = tc.calls.inputs
			}
			if diff := cmp.Diff(tc.want.inputs, inputs, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(ec2.CreateNatGatewayInput{}, types.TagSpecification{}, types.Tag{})); diff != "" {
				t.Errorf("\n%s\ne.Create(...): -want CreateNatGateway inputs, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.events, rec.events, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\ne.Create(...): -want events, +got events:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.counts, recreations(e)); diff != "" {
				t.Errorf("\n%s\ne.Create(...): -want recreations_total, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// tokenOf runs Create for cr replacing f and returns the ClientToken it sent.
func tokenOf(t *testing.T, cr *v1alpha1.NATGateway, f *found) string {
	t.Helper()
	calls := &ec2Calls{uid: string(cr.GetUID()), create: creates(newNatID)}
	e, _ := newExternal(calls.fake(), t0)
	e.found = f
	if _, err := e.Create(context.Background(), cr); err != nil {
		t.Fatalf("e.Create(...): %v", err)
	}
	if len(calls.inputs) != 1 {
		t.Fatalf("e.Create(...): want one CreateNatGateway call, got %d", len(calls.inputs))
	}
	return aws.ToString(calls.inputs[0].ClientToken)
}

// An attempt is one Create of cr replacing the gateway found, if any.
type attempt struct {
	cr       *v1alpha1.NATGateway
	replaced *found
}

func TestCreateClientToken(t *testing.T) {
	deleted := &found{id: natID, state: v1alpha1.FoundStateDeleted}
	nextGeneration := func(cr *v1alpha1.NATGateway) {
		cr.SetGeneration(7)
		cr.Spec.ForProvider.Tags = map[string]string{"team": "net"}
		cr.Spec.ForProvider.SecondaryAllocationIDs = []string{secAllocA}
		cr.Spec.ForProvider.AllocationID = aws.String(newAllocID)
	}
	cases := map[string]struct {
		reason string
		a, b   attempt
		same   bool
	}{
		"Retry": {
			reason: "A retry of the same creation sends the same token, so EC2 answers it with the gateway the first attempt made.",
			a:      attempt{cr: natGateway(withExternalName(natID)), replaced: deleted},
			b:      attempt{cr: natGateway(withExternalName(natID)), replaced: deleted},
			same:   true,
		},
		"RetryFirstCreation": {
			reason: "A retry of the first creation sends the same token.",
			a:      attempt{cr: natGateway()},
			b:      attempt{cr: natGateway()},
			same:   true,
		},
		"AcrossGenerations": {
			reason: "A spec change between two attempts does not change the token: it depends on the UID and previous ID only.",
			a:      attempt{cr: natGateway(withExternalName(natID)), replaced: deleted},
			b:      attempt{cr: natGateway(withExternalName(natID), nextGeneration), replaced: deleted},
			same:   true,
		},
		"FoundStateDoesNotMatter": {
			reason: "The token of a replacement depends on the replaced ID, not on the state it was found in.",
			a:      attempt{cr: natGateway(withExternalName(natID)), replaced: deleted},
			b:      attempt{cr: natGateway(withExternalName(natID)), replaced: &found{id: natID, state: v1alpha1.FoundStateNotFound}},
			same:   true,
		},
		"PreviousIDChanges": {
			reason: "Replacing another gateway sends another token, so EC2 never answers with the gateway being replaced.",
			a:      attempt{cr: natGateway(withExternalName(natID)), replaced: deleted},
			b:      attempt{cr: natGateway(withExternalName(otherNatID)), replaced: &found{id: otherNatID, state: v1alpha1.FoundStateDeleted}},
		},
		"FirstVersusReplacement": {
			reason: "The first creation and a replacement send different tokens.",
			a:      attempt{cr: natGateway()},
			b:      attempt{cr: natGateway(withExternalName(natID)), replaced: deleted},
		},
		"OtherUID": {
			reason: "Another NATGateway (another UID) sends another token.",
			a:      attempt{cr: natGateway()},
			b:      attempt{cr: natGateway(func(cr *v1alpha1.NATGateway) { cr.SetUID("5d1c7f0e-3a2b-4c6d-8e9f-0a1b2c3d4e5f") })},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a, b := tokenOf(t, tc.a.cr, tc.a.replaced), tokenOf(t, tc.b.cr, tc.b.replaced)
			if diff := cmp.Diff(tc.same, a == b); diff != "" {
				t.Errorf("\n%s\ntokens %q and %q: -want same, +got same:\n%s", tc.reason, a, b, diff)
			}
		})
	}
}
