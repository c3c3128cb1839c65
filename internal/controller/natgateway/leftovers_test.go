// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// withCreatePending marks a create begun at t with no result recorded, as
// when the provider stopped during it.
func withCreatePending(t time.Time) func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) { meta.SetExternalCreatePending(cr, t) }
}

func TestObserveLeftovers(t *testing.T) {
	unrecorded := gateway(gwID(newNatID), gwState(types.NatGatewayStatePending))
	othersTags := gateway(gwID(otherNatID), gwTags(merge(ownership(), map[string]string{ec2client.TagUID: otherUID})))
	leaving := xpv2.Unavailable().WithMessage("deleting NAT gateway " + newNatID + ", made for this resource and never recorded, before the finalizer is removed")
	waiting := xpv2.Unavailable().WithMessage("waiting for EC2 to list the NAT gateway a create interrupted moments ago may have made, so that it is deleted too")

	type want struct {
		o         managed.ExternalObservation
		leftovers []string
		cr        *v1alpha1.NATGateway
		err       error
	}
	cases := map[string]struct {
		reason string
		ec2    *fake.EC2
		cr     *v1alpha1.NATGateway
		want   want
	}{
		"UnrecordedWhileDeleting": {
			reason: "A NATGateway deleted before the ID of the gateway EC2 made for it was recorded still has that gateway, found by its UID tag: it exists, so the finalizer stays until Delete deletes it.",
			ec2:    purgedAndOwned(unrecorded),
			cr:     natGateway(withDeletionTimestamp()),
			want: want{
				o:         managed.ExternalObservation{ResourceExists: true},
				leftovers: []string{newNatID},
				cr:        natGateway(withDeletionTimestamp(), withConditions(leaving)),
			},
		},
		"NothingMadeWhileDeleting": {
			reason: "A NATGateway deleted with no gateway named or tagged for it has nothing left: the finalizer goes.",
			ec2:    purgedAndOwned(),
			cr:     natGateway(withDeletionTimestamp()),
			want:   want{o: managed.ExternalObservation{ResourceExists: false}, leftovers: []string{}, cr: natGateway(withDeletionTimestamp())},
		},
		"OthersGatewaysWhileDeleting": {
			reason: "An endpoint that ignores the tag filter (moto) lists other resources' gateways and gone ones: none is this NATGateway's, so nothing is left.",
			ec2:    purgedAndOwned(othersTags, gateway(gwID(newNatID), gwState(types.NatGatewayStateDeleted)), gateway(gwID(otherNatID), gwTags(nil))),
			cr:     natGateway(withDeletionTimestamp()),
			want:   want{o: managed.ExternalObservation{ResourceExists: false}, leftovers: []string{}, cr: natGateway(withDeletionTimestamp())},
		},
		"LeftoverDeleting": {
			reason: "A gateway made for this NATGateway that EC2 is deleting keeps the finalizer until it is deleted, and is not deleted again.",
			ec2:    purgedAndOwned(gateway(gwID(newNatID), gwState(types.NatGatewayStateDeleting))),
			cr:     natGateway(withDeletionTimestamp()),
			want: want{
				o:         managed.ExternalObservation{ResourceExists: true},
				leftovers: []string{},
				cr:        natGateway(withDeletionTimestamp(), withConditions(leaving)),
			},
		},
		"ReplacementWhileDeleting": {
			reason: "When the named gateway is gone, a live gateway made for this NATGateway (a replacement whose ID was lost) keeps it existing.",
			ec2:    purgedAndOwned(unrecorded),
			cr:     natGateway(withExternalName(natID), withDeletionTimestamp()),
			want: want{
				o:         managed.ExternalObservation{ResourceExists: true},
				leftovers: []string{newNatID},
				cr:        natGateway(withExternalName(natID), withDeletionTimestamp(), withConditions(leaving)),
			},
		},
		"CreateInterruptedWhileDeleting": {
			reason: "A create the provider began moments ago and recorded no result for may have made a gateway EC2 does not list yet: the NATGateway exists a while longer.",
			ec2:    purgedAndOwned(),
			cr:     natGateway(withDeletionTimestamp(), withCreatePending(t0.Add(-10*time.Second))),
			want: want{
				o:         managed.ExternalObservation{ResourceExists: true},
				leftovers: []string{},
				cr:        natGateway(withDeletionTimestamp(), withCreatePending(t0.Add(-10*time.Second)), withConditions(waiting)),
			},
		},
		"CreateInterruptedLongAgo": {
			reason: "After the creation grace period EC2 lists whatever the interrupted create made: with nothing listed, the finalizer goes.",
			ec2:    purgedAndOwned(),
			cr:     natGateway(withDeletionTimestamp(), withCreatePending(t0.Add(-time.Minute))),
			want:   want{o: managed.ExternalObservation{ResourceExists: false}, leftovers: []string{}, cr: natGateway(withDeletionTimestamp(), withCreatePending(t0.Add(-time.Minute)))},
		},
		"ListErrorWhileDeleting": {
			reason: "An error listing the gateways tagged for a deleted NATGateway is returned, so the finalizer stays.",
			ec2:    describeFails(errBoom),
			cr:     natGateway(withDeletionTimestamp()),
			want:   want{cr: natGateway(withDeletionTimestamp()), err: errBoom},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e, _ := newExternal(tc.ec2, t0)
			got, err := e.Observe(context.Background(), tc.cr)
			if diff := cmp.Diff(tc.want.err, err, equateErrors()); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.o, got); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.leftovers, e.leftovers); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want leftovers, +got leftovers:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.cr, tc.cr, crOpts...); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want NATGateway, +got NATGateway:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDeleteLeftovers(t *testing.T) {
	deleteOf := func(id string) mutation {
		return mutation{Op: "DeleteNatGateway", In: &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)}}
	}
	type want struct {
		mutations []mutation
		err       error
	}
	cases := map[string]struct {
		reason    string
		m         *mutations
		leftovers []string
		cr        *v1alpha1.NATGateway
		want      want
	}{
		"Unrecorded": {
			reason:    "The gateway Observe found made for a NATGateway without an external name is deleted.",
			m:         &mutations{},
			leftovers: []string{newNatID},
			cr:        natGateway(withDeletionTimestamp()),
			want:      want{mutations: []mutation{deleteOf(newNatID)}},
		},
		"BesideDeletedNamed": {
			reason:    "A leftover beside a named gateway already deleted is deleted, and the named one is not asked again.",
			m:         &mutations{},
			leftovers: []string{newNatID},
			cr:        natGateway(withExternalName(natID), withDeletionTimestamp(), withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleted))))),
			want:      want{mutations: []mutation{deleteOf(newNatID)}},
		},
		"NotFound": {
			reason:    "A leftover EC2 no longer knows is deleted.",
			m:         &mutations{errs: map[string]error{"DeleteNatGateway": apiError(ec2client.CodeNatGatewayNotFound)}},
			leftovers: []string{newNatID},
			cr:        natGateway(withDeletionTimestamp()),
			want:      want{mutations: []mutation{deleteOf(newNatID)}},
		},
		"Error": {
			reason:    "Any other error deleting a leftover is returned.",
			m:         &mutations{errs: map[string]error{"DeleteNatGateway": errBoom}},
			leftovers: []string{newNatID},
			cr:        natGateway(withDeletionTimestamp()),
			want:      want{mutations: []mutation{deleteOf(newNatID)}, err: errBoom},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e, _ := newExternal(tc.m.fake(), t0)
			e.leftovers = tc.leftovers
			_, err := e.Delete(context.Background(), tc.cr)
			if diff := cmp.Diff(tc.want.err, err, equateErrors()); diff != "" {
				t.Errorf("\n%s\ne.Delete(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.mutations, tc.m.log, sdkOpts...); diff != "" {
				t.Errorf("\n%s\ne.Delete(...): -want EC2 calls, +got EC2 calls:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestSimulatorDeletedDuringCreate stops the provider after EC2 applied a
// CreateNatGateway whose answer it never read, and deletes the NATGateway
// before the provider is back: the gateway is found by its UID tag and
// deleted, and the finalizer goes only once EC2 reports it deleted.
func TestSimulatorDeletedDuringCreate(t *testing.T) {
	env := newSimEnv(t, ec2sim.Durations{Deleting: 90 * time.Second, Retention: time.Hour})

	// The reconciler records that a create is under way, then the create
	// is applied and the provider stops before it records the result.
	meta.SetExternalCreatePending(env.store.cr, time.Now())
	inFlight := env.store.cr.DeepCopy()
	e, err := env.conn.Connect(env.ctx, inFlight)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if _, err := e.Create(env.ctx, inFlight); err != nil {
		t.Fatalf("Create: %v", err)
	}
	made := meta.GetExternalName(inFlight)
	if diff := cmp.Diff([]string{made}, env.live()); diff != "" {
		t.Fatalf("live gateways after the interrupted create: -want, +got:\n%s", diff)
	}

	now := metav1.Now()
	env.store.cr.SetDeletionTimestamp(&now)
	env.reconcile()
	env.reconcile()
	if env.store.gone {
		t.Fatalf("the finalizer must stay while %s, made for the NATGateway, is not deleted", made)
	}
	if meta.GetExternalName(env.store.cr) != "" {
		t.Errorf("deleting must not record an external name; got %q", meta.GetExternalName(env.store.cr))
	}
	if diff := cmp.Diff([]string{}, env.live()); diff != "" {
		t.Errorf("live gateways once the deleted NATGateway is reconciled: -want, +got:\n%s", diff)
	}
	env.advance(time.Minute)
	if gw := env.gatewayState(made); gw != string(types.NatGatewayStateDeleting) {
		t.Fatalf("%s is %s; want it still deleting for this check", made, gw)
	}
	env.reconcile()
	if env.store.gone {
		t.Fatalf("the finalizer must stay while EC2 is deleting %s", made)
	}

	env.advance(time.Minute)
	env.reconcile()
	if !env.store.gone {
		t.Errorf("the finalizer must go once %s is deleted", made)
	}
}

// gatewayState returns the state EC2 reports for gateway id.
func (e *simEnv) gatewayState(id string) string {
	e.t.Helper()
	out, err := e.api.DescribeNatGateways(e.ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
	if err != nil || len(out.NatGateways) != 1 {
		e.t.Fatalf("DescribeNatGateways(%s): %v", id, err)
	}
	return string(out.NatGateways[0].State)
}
