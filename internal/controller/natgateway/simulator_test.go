// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	ktypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
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
	"github.com/egresskit/provider-aws-egress/internal/controller/coalesce"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim/ec2simtest"
)

// The tests in this file run the managed reconciler, with the controller's
// options, against the EC2 simulator through the unmodified aws-sdk-go-v2
// client. The API server is a small store that behaves like one where it
// matters: an update of the object replaces its in-memory status with the
// stored one, and an object being deleted goes when its last finalizer does.

// A store holds one NATGateway the way the API server would.
type store struct {
	cr   *v1alpha1.NATGateway
	gone bool
}

func (s *store) client() *test.MockClient {
	c := test.NewMockClient()
	c.MockGet = func(_ context.Context, key client.ObjectKey, obj client.Object) error {
		if s.gone {
			return kerrors.NewNotFound(v1alpha1.SchemeGroupVersion.WithResource("natgateways").GroupResource(), key.Name)
		}
		s.cr.DeepCopyInto(obj.(*v1alpha1.NATGateway))
		return nil
	}
	c.MockUpdate = func(_ context.Context, obj client.Object, _ ...client.UpdateOption) error {
		cr := obj.(*v1alpha1.NATGateway)
		stored := cr.DeepCopy()
		stored.Status = *s.cr.Status.DeepCopy()
		s.cr = stored
		s.cr.Status.DeepCopyInto(&cr.Status)
		s.gone = meta.WasDeleted(stored) && len(stored.GetFinalizers()) == 0
		return nil
	}
	c.MockStatusUpdate = func(_ context.Context, obj client.Object, _ ...client.SubResourceUpdateOption) error {
		obj.(*v1alpha1.NATGateway).Status.DeepCopyInto(&s.cr.Status)
		return nil
	}
	return c
}

// A simEnv is a NATGateway reconciled against the EC2 simulator.
type simEnv struct {
	t     *testing.T
	ctx   context.Context
	sim   *ec2sim.Server
	api   *ec2.Client
	store *store
	rec   *recorder
	conn  *connector
	r     *coalesce.Reconciler

	subnet string
	allocs []string
}

func newSimEnv(t *testing.T, d ec2sim.Durations) *simEnv {
	t.Helper()
	ctx := context.Background()
	sim, api := ec2simtest.Start(t, ec2sim.Options{DisableThrottling: true, Durations: d}, "us-east-1")
	env := &simEnv{t: t, ctx: ctx, sim: sim, api: api, rec: &recorder{}}

	vpc, err := api.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatalf("CreateVpc: %v", err)
	}
	sn, err := api.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	if err != nil {
		t.Fatalf("CreateSubnet: %v", err)
	}
	env.subnet = aws.ToString(sn.Subnet.SubnetId)
	for range 3 {
		a, err := api.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc})
		if err != nil {
			t.Fatalf("AllocateAddress: %v", err)
		}
		env.allocs = append(env.allocs, aws.ToString(a.AllocationId))
	}

	cr := natGateway(withFinalizer(), func(cr *v1alpha1.NATGateway) {
		// The CRD's default, which the API server would set.
		cr.SetManagementPolicies(xpv2.ManagementPolicies{xpv2.ManagementActionAll})
		cr.Spec.ForProvider.SubnetID = aws.String(env.subnet)
		cr.Spec.ForProvider.AllocationID = aws.String(env.allocs[0])
	})
	env.store = &store{cr: cr}
	kc := env.store.client()

	s := runtime.NewScheme()
	if err := apis.AddToScheme(s); err != nil {
		t.Fatalf("apis.AddToScheme(...): %v", err)
	}
	env.conn = &connector{
		usage: resource.ModernTrackerFn(func(context.Context, resource.ModernManaged) error { return nil }),
		clients: ec2client.ClientFactoryFn(func(_ context.Context, _ resource.ModernManaged, region string) (ec2client.API, error) {
			if region != "us-east-1" {
				t.Errorf("ClientFor(...): want region us-east-1, got %q", region)
			}
			return api, nil
		}),
		record:      env.rec,
		recreations: newRecreationsCounter(),
		backoff:     backoff{base: DefaultFailedBackoffBase, max: DefaultFailedBackoffMax},
		now:         env.now,
	}
	f := &feature.Flags{}
	f.Enable(feature.EnableBetaManagementPolicies)
	o := controller.Options{Logger: logging.NewNopLogger(), PollInterval: time.Minute, Features: f}
	env.r = newReconciler(&rfake.Manager{Client: kc, Scheme: s}, append(lifecycleOptions(kc, env.conn), managedopts.Standard(o, managed.ControllerName(v1alpha1.NATGatewayGroupKind), env.rec)...)...)
	return env
}

// now is the simulator's clock.
func (e *simEnv) now() time.Time {
	c, err := e.sim.Clock(e.ctx)
	if err != nil {
		e.t.Fatalf("sim.Clock(...): %v", err)
	}
	return c.Now
}

// advance moves the simulator's clock, and ages the NATGateway's creation
// annotations as much, so that the reconciler's 30s creation grace period
// (read from the wall clock) follows the simulated time.
func (e *simEnv) advance(d time.Duration) {
	e.t.Helper()
	if _, err := e.sim.SetClock(e.ctx, ec2sim.ClockUpdate{Advance: d}); err != nil {
		e.t.Fatalf("sim.SetClock(...): %v", err)
	}
	for _, k := range []string{meta.AnnotationKeyExternalCreatePending, meta.AnnotationKeyExternalCreateSucceeded, meta.AnnotationKeyExternalCreateFailed} {
		if v, ok := e.store.cr.GetAnnotations()[k]; ok {
			ts, err := time.Parse(time.RFC3339, v)
			if err != nil {
				e.t.Fatalf("annotation %s: %v", k, err)
			}
			meta.AddAnnotations(e.store.cr, map[string]string{k: ts.Add(-d).Format(time.RFC3339)})
		}
	}
}

// reconcile runs one reconcile and returns the stored NATGateway.
func (e *simEnv) reconcile() *v1alpha1.NATGateway {
	e.t.Helper()
	if _, err := e.r.Reconcile(e.ctx, reconcile.Request{NamespacedName: ktypes.NamespacedName{Namespace: "default", Name: "egress-a"}}); err != nil {
		e.t.Fatalf("r.Reconcile(...): %v", err)
	}
	return e.store.cr.DeepCopy()
}

// ready reconciles, advancing the clock, until the NATGateway is ready, and
// returns its gateway ID.
func (e *simEnv) ready() string {
	e.t.Helper()
	for range 10 {
		cr := e.reconcile()
		if cr.GetCondition(xpv2.TypeReady).Status == corev1.ConditionTrue {
			return meta.GetExternalName(cr)
		}
		e.advance(2 * time.Second)
	}
	e.t.Fatalf("the NATGateway is not ready after 10 reconciles: %+v", e.store.cr.Status)
	return ""
}

// live returns the IDs of the pending and available gateways tagged for the
// NATGateway.
func (e *simEnv) live() []string {
	e.t.Helper()
	out, err := e.api.DescribeNatGateways(e.ctx, &ec2.DescribeNatGatewaysInput{Filter: []types.Filter{
		{Name: aws.String("tag:" + ec2client.TagUID), Values: []string{testUID}},
		{Name: aws.String("state"), Values: []string{"pending", "available"}},
	}})
	if err != nil {
		e.t.Fatalf("DescribeNatGateways: %v", err)
	}
	ids := make([]string, 0, len(out.NatGateways))
	for _, gw := range out.NatGateways {
		ids = append(ids, aws.ToString(gw.NatGatewayId))
	}
	slices.Sort(ids)
	return ids
}

func (e *simEnv) recreations(reason string) float64 {
	return testutil.ToFloat64(e.conn.recreations.WithLabelValues(reason))
}

func TestSimulatorRecreatesDeletedGateway(t *testing.T) {
	env := newSimEnv(t, ec2sim.Durations{Retention: time.Hour})
	first := env.ready()
	if diff := cmp.Diff([]string{first}, env.live()); diff != "" {
		t.Fatalf("live gateways after creation: -want, +got:\n%s", diff)
	}

	if err := env.sim.DeleteNatGateway(env.ctx, first, true); err != nil {
		t.Fatalf("sim.DeleteNatGateway(...): %v", err)
	}
	env.advance(time.Minute)
	cr := env.reconcile()
	second := meta.GetExternalName(cr)
	if second == first || second == "" {
		t.Fatalf("the external name must change to the new gateway; it is %q, was %q", second, first)
	}
	if diff := cmp.Diff([]string{second}, env.live()); diff != "" {
		t.Errorf("exactly one live gateway after the healing: -want, +got:\n%s", diff)
	}

	second = env.ready()
	cr = env.store.cr
	h := cr.Status.AtProvider.Healing
	if h == nil || h.Recreations != 1 || h.Last == nil || h.Last.PreviousID != first || h.Last.FoundState != v1alpha1.FoundStateDeleted || h.Last.NewID != second {
		t.Errorf("status.atProvider.healing must record the recreation of %s as %s; got %+v", first, second, h)
	}
	if got := env.recreations(v1alpha1.FoundStateDeleted); got != 1 {
		t.Errorf("recreations_total{reason=deleted}: want 1, got %v", got)
	}
	if !slices.ContainsFunc(env.rec.events, func(e event.Event) bool { return e.Reason == reasonGatewayDeleted }) {
		t.Errorf("want a %s event, got %v", reasonGatewayDeleted, env.rec.events)
	}
}

func TestSimulatorRecreatesPurgedGateway(t *testing.T) {
	env := newSimEnv(t, ec2sim.Durations{Retention: time.Hour})
	first := env.ready()
	if err := env.sim.PurgeNatGateway(env.ctx, first); err != nil {
		t.Fatalf("sim.PurgeNatGateway(...): %v", err)
	}
	env.advance(time.Minute)
	second := env.ready()
	if second == first {
		t.Fatalf("a purged gateway must be replaced; the external name is still %s", first)
	}
	if diff := cmp.Diff([]string{second}, env.live()); diff != "" {
		t.Errorf("exactly one live gateway: -want, +got:\n%s", diff)
	}
	if h := env.store.cr.Status.AtProvider.Healing; h == nil || h.Last == nil || h.Last.FoundState != v1alpha1.FoundStateNotFound {
		t.Errorf("the healing must be recorded as not-found; got %+v", h)
	}
}

// TestSimulatorLostCreateResponse replaces a deleted gateway twice: the first
// Create's result is lost (a crash before the external name is written), and
// the retry must get the same gateway back rather than make a second.
func TestSimulatorLostCreateResponse(t *testing.T) {
	env := newSimEnv(t, ec2sim.Durations{Retention: time.Hour})
	first := env.ready()
	if err := env.sim.DeleteNatGateway(env.ctx, first, true); err != nil {
		t.Fatalf("sim.DeleteNatGateway(...): %v", err)
	}
	env.advance(time.Minute)

	lost := env.store.cr.DeepCopy()
	e, err := env.conn.Connect(env.ctx, lost)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if _, err := e.Observe(env.ctx, lost); err != nil {
		t.Fatalf("Observe: %v", err)
	}
	if _, err := e.Create(env.ctx, lost); err != nil {
		t.Fatalf("Create: %v", err)
	}
	made := meta.GetExternalName(lost)

	second := env.ready()
	if diff := cmp.Diff(made, second); diff != "" {
		t.Errorf("the retry must end with the gateway the lost Create made: -want, +got:\n%s", diff)
	}
	if diff := cmp.Diff([]string{second}, env.live()); diff != "" {
		t.Errorf("exactly one live gateway: -want, +got:\n%s", diff)
	}
}

// TestSimulatorIdempotentParameterMismatch loses a Create's result while the
// new gateway is not yet visible to DescribeNatGateways, then changes the
// spec: EC2 refuses the reused token, and the gateway is adopted by its tag
// once visible. No second gateway is made.
func TestSimulatorIdempotentParameterMismatch(t *testing.T) {
	env := newSimEnv(t, ec2sim.Durations{Retention: time.Hour})
	first := env.ready()
	if _, err := env.sim.SetDurations(env.ctx, ec2sim.Durations{Consistency: 20 * time.Second}); err != nil {
		t.Fatalf("sim.SetDurations(...): %v", err)
	}
	if err := env.sim.DeleteNatGateway(env.ctx, first, true); err != nil {
		t.Fatalf("sim.DeleteNatGateway(...): %v", err)
	}
	env.advance(time.Minute)

	lost := env.store.cr.DeepCopy()
	e, err := env.conn.Connect(env.ctx, lost)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if _, err := e.Observe(env.ctx, lost); err != nil {
		t.Fatalf("Observe: %v", err)
	}
	if _, err := e.Create(env.ctx, lost); err != nil {
		t.Fatalf("Create: %v", err)
	}
	made := meta.GetExternalName(lost)

	env.store.cr.Spec.ForProvider.Tags = map[string]string{"team": "net"}
	cr := env.reconcile()
	if got := meta.GetExternalName(cr); got != first {
		t.Errorf("while the gateway the lost Create made is invisible, Create must fail rather than make another; external name is %s", got)
	}
	if c := cr.GetCondition(xpv2.TypeSynced); c.Status != corev1.ConditionFalse || !containsAll(c.Message, "refuses client token", clientToken(testUID, first), "IdempotentParameterMismatch") {
		t.Errorf("the refused token must show as a reconcile error; got %+v", c)
	}

	env.advance(30 * time.Second)
	second := env.ready()
	if diff := cmp.Diff(made, second); diff != "" {
		t.Errorf("the gateway the lost Create made must be adopted: -want, +got:\n%s", diff)
	}
	if diff := cmp.Diff([]string{second}, env.live()); diff != "" {
		t.Errorf("exactly one live gateway: -want, +got:\n%s", diff)
	}
	env.reconcile()
	if got := env.store.cr.Status.AtProvider.Tags["team"]; got != "net" {
		t.Errorf("the adopted gateway must get the spec's tags; team is %q", got)
	}
}

func TestSimulatorFailedGatewayBackoff(t *testing.T) {
	env := newSimEnv(t, ec2sim.Durations{Retention: time.Hour})
	first := env.ready()
	if err := env.sim.FailNatGateway(env.ctx, first, "InternalError", ""); err != nil {
		t.Fatalf("sim.FailNatGateway(...): %v", err)
	}
	cr := env.reconcile()
	if got := meta.GetExternalName(cr); got != first {
		t.Fatalf("a failed gateway must wait for its backoff; it was replaced by %s at once", got)
	}
	if c := cr.GetCondition(xpv2.TypeReady); c.Status != corev1.ConditionFalse || !containsAll(c.Message, first, "InternalError") {
		t.Errorf("the Ready condition must carry the failure code; got %+v", c)
	}

	// The first failed gateway is replaced 30s after its creation.
	env.advance(30 * time.Second)
	second := meta.GetExternalName(env.reconcile())
	if second == first {
		t.Fatalf("a failed gateway must be replaced once its backoff elapsed")
	}
	env.reconcile()
	if err := env.sim.FailNatGateway(env.ctx, second, "InternalError", ""); err != nil {
		t.Fatalf("sim.FailNatGateway(...): %v", err)
	}
	// The second failed gateway in a row waits 60s.
	env.advance(45 * time.Second)
	if got := meta.GetExternalName(env.reconcile()); got != second {
		t.Errorf("the second failed gateway in a row must wait 60s; it was replaced by %s after 45s", got)
	}
	env.advance(20 * time.Second)
	third := meta.GetExternalName(env.reconcile())
	if third == second {
		t.Errorf("the second failed gateway must be replaced after 60s")
	}
	if h, err := healing.Get(env.store.cr); err != nil || h == nil || h.FailedStreak != 2 {
		t.Errorf("failed streak of the healing record: want 2, got %+v (error %v)", h, err)
	}
	if got := env.recreations(v1alpha1.FoundStateFailed); got != 2 {
		t.Errorf("recreations_total{reason=failed}: want 2, got %v", got)
	}
	if diff := cmp.Diff([]string{third}, env.live()); diff != "" {
		t.Errorf("exactly one live gateway: -want, +got:\n%s", diff)
	}
}

func TestSimulatorReplacesGatewayForNewAddress(t *testing.T) {
	env := newSimEnv(t, ec2sim.Durations{Retention: time.Hour})
	first := env.ready()
	env.store.cr.Spec.ForProvider.AllocationID = aws.String(env.allocs[1])
	cr := env.reconcile()
	if got := aws.ToString(cr.Status.AtProvider.State); got != v1alpha1.NATGatewayStateDeleting {
		t.Fatalf("the gateway must be deleted to take its new address; state %q", got)
	}
	// Past the reconciler's 30s creation grace period, which holds back a
	// Create that follows the previous one too closely.
	env.advance(40 * time.Second)
	second := env.ready()
	if second == first {
		t.Fatalf("the gateway must be replaced")
	}
	p := primaryAddress(env.store.cr.Status.AtProvider.Addresses)
	if p == nil || aws.ToString(p.AllocationID) != env.allocs[1] {
		t.Errorf("the replacement's primary address must be %s; got %+v", env.allocs[1], p)
	}
	if h := env.store.cr.Status.AtProvider.Healing; h == nil || h.Last == nil || h.Last.FoundState != v1alpha1.FoundStateReplaced {
		t.Errorf("the healing must be recorded as replaced; got %+v", h)
	}
}

func TestSimulatorSecondaryAddresses(t *testing.T) {
	env := newSimEnv(t, ec2sim.Durations{Retention: time.Hour})
	env.ready()
	env.store.cr.Spec.ForProvider.SecondaryAllocationIDs = []string{env.allocs[2]}
	for range 5 {
		env.reconcile()
		env.advance(2 * time.Second)
	}
	cr := env.reconcile()
	var secondary []string
	for _, a := range cr.Status.AtProvider.Addresses {
		if !aws.ToBool(a.IsPrimary) {
			secondary = append(secondary, aws.ToString(a.AllocationID)+"/"+aws.ToString(a.Status))
		}
	}
	if diff := cmp.Diff([]string{env.allocs[2] + "/succeeded"}, secondary); diff != "" {
		t.Errorf("secondary addresses: -want, +got:\n%s", diff)
	}

	env.store.cr.Spec.ForProvider.SecondaryAllocationIDs = nil
	for range 5 {
		env.reconcile()
		env.advance(400 * time.Second)
	}
	cr = env.reconcile()
	if n := len(cr.Status.AtProvider.Addresses); n != 1 {
		t.Errorf("after removing the secondary address only the primary must remain; got %+v", cr.Status.AtProvider.Addresses)
	}
}

func TestSimulatorDeleteWaitsForEC2(t *testing.T) {
	env := newSimEnv(t, ec2sim.Durations{Deleting: 20 * time.Second, Retention: time.Hour})
	first := env.ready()
	now := metav1.Now()
	env.store.cr.SetDeletionTimestamp(&now)

	env.reconcile()
	env.reconcile()
	if env.store.gone {
		t.Fatalf("the finalizer must stay while the gateway is deleting")
	}
	calls, err := env.sim.Calls(env.ctx)
	if err != nil {
		t.Fatalf("sim.Calls(...): %v", err)
	}
	if got := calls["DeleteNatGateway"].Calls; got != 1 {
		t.Errorf("DeleteNatGateway must be called once; got %d calls", got)
	}
	env.advance(30 * time.Second)
	env.reconcile()
	if !env.store.gone {
		t.Errorf("the finalizer must go once the gateway %s is deleted", first)
	}
	if diff := cmp.Diff([]string{}, env.live()); diff != "" {
		t.Errorf("no live gateway after deletion: -want, +got:\n%s", diff)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
