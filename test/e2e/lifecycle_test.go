// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
	"github.com/egresskit/provider-aws-egress/internal/testcleanup"
)

// finalizer is crossplane-runtime's finalizer of managed resources.
const finalizer = "finalizer.managedresource.crossplane.io"

// TestNATGatewayDeletion is scenario 6: deleting a NATGateway keeps its
// finalizer until EC2 reports the gateway deleted, and calls
// DeleteNatGateway once; an observe-only NATGateway imported by external name
// never creates or deletes a gateway.
//
// It counts ec2sim's calls, so it runs alone.
func TestNATGatewayDeletion(t *testing.T) {
	t.Run("FinalizerKeptUntilDeleted", func(t *testing.T) {
		s := newScenario(t, "finalizer")
		gw := s.privateGateway()
		s.create(gw)
		s.waitReady(gw)
		id := meta.GetExternalName(gw)

		// A deletion AWS-like in being slower than the provider's short poll.
		admin := stk.EC2Sim.Admin
		if _, err := admin.SetDurations(t.Context(), ec2sim.Durations{Pending: durations.Pending, Deleting: 8 * time.Second, Retention: durations.Retention}); err != nil {
			t.Fatal(err)
		}
		testcleanup.Add(t, "restore ec2sim's durations", func(ctx context.Context) error {
			_, err := admin.SetDurations(ctx, durations)
			return err
		})
		before := s.calls("DeleteNatGateway")

		s.delete(gw)
		begin := time.Now()
		seenDeleting := false
		err := pollFor(t.Context(), goneTimeout, func() error {
			err := stk.Client.Get(t.Context(), client.ObjectKeyFromObject(gw), gw)
			state := s.gateway(id).State
			if kerrors.IsNotFound(err) {
				if state != types.NatGatewayStateDeleted {
					t.Fatalf("the NATGateway is gone while EC2 reports gateway %s %s", id, state)
				}
				return nil
			}
			if err != nil {
				return err
			}
			if !contains(gw.GetFinalizers(), finalizer) {
				t.Fatalf("the NATGateway lost its finalizer while EC2 reports gateway %s %s: %v", id, state, gw.GetFinalizers())
			}
			seenDeleting = seenDeleting || state == types.NatGatewayStateDeleting
			return errors.Errorf("NATGateway still exists; EC2 reports %s", state)
		})
		if err != nil {
			t.Fatalf("%v\n%s", err, stk.Describe(t.Context(), gw))
		}
		t.Logf("NATGateway gone %s after its deletion; EC2 reports %s deleted", time.Since(begin).Round(100*time.Millisecond), id)
		if !seenDeleting {
			t.Errorf("never saw the NATGateway kept while EC2 reported %s deleting", id)
		}
		if n := s.calls("DeleteNatGateway") - before; n != 1 {
			t.Errorf("DeleteNatGateway was called %d times, want once", n)
		}
	})

	t.Run("ObserveOnlyImport", func(t *testing.T) {
		s := newScenario(t, "observe-only")
		made, err := s.ec2.CreateNatGateway(t.Context(), &ec2.CreateNatGatewayInput{
			SubnetId:         aws.String(s.net.Zones[1].PrivateSubnetID),
			ConnectivityType: types.ConnectivityTypePrivate,
		})
		if err != nil {
			t.Fatal(err)
		}
		id := aws.ToString(made.NatGateway.NatGatewayId)
		creates, deletes := s.calls("CreateNatGateway"), s.calls("DeleteNatGateway")

		imported := func() *v1alpha1.NATGateway {
			return &v1alpha1.NATGateway{
				ObjectMeta: metav1.ObjectMeta{Name: "imported", Annotations: map[string]string{meta.AnnotationKeyExternalName: id}},
				Spec: v1alpha1.NATGatewaySpec{
					ManagedResourceSpec: xpv2.ManagedResourceSpec{
						ProviderConfigReference: stack.ProviderConfigRef(),
						ManagementPolicies:      xpv2.ManagementPolicies{xpv2.ManagementActionObserve},
					},
					ForProvider: v1alpha1.NATGatewayParameters{Region: stack.DefaultRegion},
				},
			}
		}

		// Imported while the gateway lives: Ready with EC2's view in status;
		// deleting the NATGateway leaves the gateway alone.
		gw := imported()
		s.create(gw)
		s.waitReady(gw)
		obs := gw.Status.AtProvider
		if aws.ToString(obs.NATGatewayID) != id || aws.ToString(obs.State) != "available" || aws.ToString(obs.SubnetID) != s.net.Zones[1].PrivateSubnetID {
			t.Errorf("status.atProvider: id %s state %s subnet %s; want %s available %s", aws.ToString(obs.NATGatewayID), aws.ToString(obs.State), aws.ToString(obs.SubnetID), id, s.net.Zones[1].PrivateSubnetID)
		}
		s.delete(gw)
		if err := stk.WaitGone(t.Context(), gw, goneTimeout); err != nil {
			t.Fatal(err)
		}
		if st := s.gateway(id).State; st != types.NatGatewayStateAvailable {
			t.Errorf("gateway %s is %s after its observe-only NATGateway was deleted, want available", id, st)
		}

		// Imported again, then deleted out of band: reported, not recreated.
		gw = imported()
		s.create(gw)
		s.waitReady(gw)
		if err := stk.EC2Sim.Admin.DeleteNatGateway(t.Context(), id, true); err != nil {
			t.Fatal(err)
		}
		s.waitFor(gw, healTimeout, stack.HasCondition(xpv2.TypeSynced, corev1.ConditionFalse, "external resource does not exist"))
		// The provider observes it again, and still creates nothing.
		err = pollFor(t.Context(), 3*PollInterval, func() error {
			e, err := findEvent(t.Context(), gw, corev1.EventTypeWarning, "CannotObserveExternalResource", "does not exist")
			if err != nil {
				return err
			}
			if e.Count < 2 {
				return errors.Errorf("observed once since the gateway was deleted")
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%v\n%s", err, stk.Describe(t.Context(), gw))
		}
		if e, err := findEvent(t.Context(), gw, corev1.EventTypeWarning, "GatewayDeleted", id); err == nil {
			t.Logf("event about the observe-only NATGateway: %s %s: %s", e.Type, e.Reason, e.Message)
		}
		s.delete(gw)
		if err := stk.WaitGone(t.Context(), gw, goneTimeout); err != nil {
			t.Fatal(err)
		}

		if n := s.calls("CreateNatGateway") - creates; n != 0 {
			t.Errorf("CreateNatGateway was called %d times for an observe-only NATGateway", n)
		}
		if n := s.calls("DeleteNatGateway") - deletes; n != 0 {
			t.Errorf("DeleteNatGateway was called %d times for an observe-only NATGateway", n)
		}
		if gws := s.state().NatGateways; len(gws) != 1 || gws[0].ID != id {
			t.Errorf("EC2 holds %+v, want only %s", gws, id)
		}
	})
}
