// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	ktypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/feature"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	rfake "github.com/crossplane/crossplane-runtime/v2/pkg/resource/fake"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis"
	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
)

// An apiServer stores one NATGateway as the API server does: an update
// writes metadata and spec and answers with the stored status, a status
// update writes the status and answers with the stored metadata. It records
// every version it stored.
type apiServer struct {
	stored   *v1alpha1.NATGateway
	versions []*v1alpha1.NATGateway
	rv       int
}

func (a *apiServer) client() *test.MockClient {
	c := test.NewMockClient()
	c.MockGet = func(_ context.Context, _ client.ObjectKey, obj client.Object) error {
		a.stored.DeepCopyInto(obj.(*v1alpha1.NATGateway))
		return nil
	}
	c.MockUpdate = func(_ context.Context, obj client.Object, _ ...client.UpdateOption) error {
		cr := obj.(*v1alpha1.NATGateway)
		next := cr.DeepCopy()
		next.Status = *a.stored.Status.DeepCopy()
		a.store(next, cr)
		return nil
	}
	c.MockStatusUpdate = func(_ context.Context, obj client.Object, _ ...client.SubResourceUpdateOption) error {
		cr := obj.(*v1alpha1.NATGateway)
		next := a.stored.DeepCopy()
		next.Status = *cr.Status.DeepCopy()
		a.store(next, cr)
		return nil
	}
	return c
}

// store stores next as a new version and answers it into into.
func (a *apiServer) store(next, into *v1alpha1.NATGateway) {
	a.rv++
	next.ResourceVersion = strconv.Itoa(a.rv)
	a.stored = next
	a.versions = append(a.versions, next.DeepCopy())
	next.DeepCopyInto(into)
}

// reconcileStored runs one reconcile of the NATGateway a stores against api
// at now, with the controller's options.
func reconcileStored(t *testing.T, a *apiServer, api ec2client.API, now time.Time) {
	t.Helper()
	s := runtime.NewScheme()
	if err := apis.AddToScheme(s); err != nil {
		t.Fatalf("apis.AddToScheme(...): %v", err)
	}
	kc := a.client()
	rec := &recorder{}
	conn := &connector{
		usage:       resource.ModernTrackerFn(func(context.Context, resource.ModernManaged) error { return nil }),
		clients:     ec2client.ClientFactoryFn(func(context.Context, resource.ModernManaged, string) (ec2client.API, error) { return api, nil }),
		record:      rec,
		recreations: newRecreationsCounter(),
		backoff:     backoff{base: DefaultFailedBackoffBase, max: DefaultFailedBackoffMax},
		now:         func() time.Time { return now },
	}
	o := controller.Options{Logger: logging.NewNopLogger(), PollInterval: time.Minute, Features: &feature.Flags{}}
	r := newReconciler(&rfake.Manager{Client: kc, Scheme: s}, append(lifecycleOptions(kc, conn), managedopts.Standard(o, managed.ControllerName(v1alpha1.NATGatewayGroupKind), rec)...)...)
	if _, err := r.Reconcile(context.Background(), reconcile.Request{NamespacedName: ktypes.NamespacedName{Namespace: "default", Name: "egress-a"}}); err != nil {
		t.Fatalf("r.Reconcile(...): %v", err)
	}
}

// describing returns an EC2 API that describes gw and creates newNatID.
func describing(gw types.NatGateway) *fake.EC2 {
	return &fake.EC2{
		MockDescribeNatGateways: func(_ context.Context, in *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
			if len(in.NatGatewayIds) > 0 && in.NatGatewayIds[0] == aws.ToString(gw.NatGatewayId) {
				return &ec2.DescribeNatGatewaysOutput{NatGateways: []types.NatGateway{gw}}, nil
			}
			return &ec2.DescribeNatGatewaysOutput{}, nil
		},
		MockCreateNatGateway: func(context.Context, *ec2.CreateNatGatewayInput) (*ec2.CreateNatGatewayOutput, error) {
			return &ec2.CreateNatGatewayOutput{NatGateway: &types.NatGateway{NatGatewayId: aws.String(newNatID), State: types.NatGatewayStatePending}}, nil
		},
		MockCreateTags: func(context.Context, *ec2.CreateTagsInput) (*ec2.CreateTagsOutput, error) {
			return &ec2.CreateTagsOutput{}, nil
		},
	}
}

// TestReconcileImportReady checks that the first reconcile of an imported
// NATGateway, which adds the finalizer, stores what Observe found: the
// gateway's state and Ready=True.
func TestReconcileImportReady(t *testing.T) {
	a := &apiServer{stored: natGateway(withExternalName(natID))}
	reconcileStored(t, a, describing(gateway()), t0.Add(time.Hour))

	got := a.stored
	if !meta.FinalizerExists(got, managed.FinalizerName) {
		t.Errorf("the first reconcile stored no finalizer")
	}
	if s := aws.ToString(got.Status.AtProvider.State); s != v1alpha1.NATGatewayStateAvailable {
		t.Errorf("stored status.atProvider.state: got %q, want %q", s, v1alpha1.NATGatewayStateAvailable)
	}
	if c := got.GetCondition(xpv2.TypeReady); c.Status != corev1.ConditionTrue {
		t.Errorf("stored Ready condition: got %s (%s), want True", c.Status, c.Message)
	}
}

// TestReconcileReplacementStatus checks every version a replacement of a
// deleted gateway stores: none pairs the new gateway's ID with the old
// gateway's observation, and none is Ready for a gateway its status does
// not describe.
func TestReconcileReplacementStatus(t *testing.T) {
	before := natGateway(withExternalName(natID), withFinalizer(), withAtProvider(observed(gateway())), withConditions(xpv2.Available(), xpv2.ReconcileSuccess()))
	cases := map[string]struct {
		reason string
		gw     types.NatGateway
	}{
		"Deleted": {
			reason: "A gateway EC2 lists as deleted is replaced.",
			gw:     gateway(gwState(types.NatGatewayStateDeleted)),
		},
		"Purged": {
			reason: "A gateway EC2 no longer lists is replaced.",
			gw:     gateway(func(gw *types.NatGateway) { gw.NatGatewayId = aws.String("nat-someotherone0000") }),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a := &apiServer{stored: before.DeepCopy()}
			reconcileStored(t, a, describing(tc.gw), t0.Add(time.Hour))

			if got := meta.GetExternalName(a.stored); got != newNatID {
				t.Fatalf("\n%s\nstored external name: got %q, want %q", tc.reason, got, newNatID)
			}
			for i, v := range a.versions {
				ext, id := meta.GetExternalName(v), aws.ToString(v.Status.AtProvider.NATGatewayID)
				if ext == newNatID && id == natID {
					t.Errorf("\n%s\nstored version %d names gateway %s with the status of %s", tc.reason, i, ext, id)
				}
				if v.GetCondition(xpv2.TypeReady).Status == corev1.ConditionTrue && ext == newNatID {
					t.Errorf("\n%s\nstored version %d is Ready for gateway %s before EC2 described it", tc.reason, i, ext)
				}
			}
		})
	}
}

// TestStatusWriter checks that a status identical to the stored one of the
// same version is not written.
func TestStatusWriter(t *testing.T) {
	stored := natGateway(withExternalName(natID), withAtProvider(observed(gateway())), withConditions(xpv2.Available()))
	stored.ResourceVersion = "7"
	stored.Status.AtProvider.CreateTime = &metav1.Time{Time: t0}
	cases := map[string]struct {
		reason string
		cr     func() *v1alpha1.NATGateway
		want   int
	}{
		"Unchanged": {
			reason: "The same status at the same version is not written.",
			cr:     stored.DeepCopy,
			want:   0,
		},
		"Changed": {
			reason: "A changed status is written.",
			cr: func() *v1alpha1.NATGateway {
				cr := stored.DeepCopy()
				cr.SetConditions(xpv2.Unavailable())
				return cr
			},
			want: 1,
		},
		"SubSecondTime": {
			reason: "A time EC2 reports to the nanosecond equals the second the API server stores it as.",
			cr: func() *v1alpha1.NATGateway {
				cr := stored.DeepCopy()
				cr.Status.AtProvider.CreateTime = &metav1.Time{Time: stored.Status.AtProvider.CreateTime.Add(123 * time.Millisecond)}
				return cr
			},
			want: 0,
		},
		"OtherVersion": {
			reason: "A status of another version than the cached one is written: the cache may be behind.",
			cr: func() *v1alpha1.NATGateway {
				cr := stored.DeepCopy()
				cr.ResourceVersion = "8"
				return cr
			},
			want: 1,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			writes := 0
			c := test.NewMockClient()
			c.MockGet = func(_ context.Context, _ client.ObjectKey, obj client.Object) error {
				stored.DeepCopyInto(obj.(*v1alpha1.NATGateway))
				return nil
			}
			c.MockStatusUpdate = func(context.Context, client.Object, ...client.SubResourceUpdateOption) error {
				writes++
				return nil
			}
			if err := (unchangedStatusSkipper{Client: c}).Status().Update(context.Background(), tc.cr()); err != nil {
				t.Fatalf("\n%s\nStatus().Update(...): %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want, writes); diff != "" {
				t.Errorf("\n%s\nstatus writes: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestReconcileUnchanged checks that a reconcile that observes what the
// stored status already says writes nothing.
func TestReconcileUnchanged(t *testing.T) {
	tags := func(gw *types.NatGateway) { gw.Tags = ec2client.Tags(ec2client.DesiredTags(natGateway(), nil)) }
	a := &apiServer{stored: natGateway(withExternalName(natID))}
	api := describing(gateway(tags))
	reconcileStored(t, a, api, t0.Add(time.Hour))
	n := len(a.versions)
	reconcileStored(t, a, api, t0.Add(time.Hour+time.Minute))
	if len(a.versions) != n {
		t.Errorf("a reconcile that observed nothing new stored %d versions; the last differs from the one before by:\n%s", len(a.versions)-n, cmp.Diff(a.versions[n-1], a.versions[len(a.versions)-1]))
	}
}
