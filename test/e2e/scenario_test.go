// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"context"
	"slices"
	"strings"
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

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// Timeouts of waits. They are deadlines, not expectations: on ec2sim a
// gateway is available about 2s after it is created.
const (
	// readyTimeout bounds the wait for a new resource to become Ready.
	readyTimeout = 2 * time.Minute
	// healTimeout bounds the wait for a resource to be healed.
	healTimeout = 3 * time.Minute
	// goneTimeout bounds the wait for a deleted resource to disappear.
	goneTimeout = 2 * time.Minute
)

// tagUID is the ownership tag that holds a managed resource's UID.
const tagUID = "egresskit.io/uid"

// A scenario is one namespace with a ProviderConfig and a
// ClusterProviderConfig for an ec2sim account of its own, holding a seeded
// network: a VPC with public and private subnets and private route tables in
// three zones.
type scenario struct {
	t     *testing.T
	ns    string
	creds stack.Credentials
	ec2   *ec2.Client
	net   *stack.Network
}

// newScenario prepares namespace ns for an ec2sim account of its own. When
// the test ends, it deletes every managed resource in the namespace, waits
// until they are gone (so their EC2 resources are deleted while the provider
// runs), then deletes the namespace.
func newScenario(t *testing.T, ns string) *scenario {
	t.Helper()
	return newScenarioAt(t, ns, stk.EC2Sim.URL)
}

// newScenarioAt is newScenario for another EC2 endpoint.
func newScenarioAt(t *testing.T, ns, endpoint string) *scenario {
	t.Helper()
	creds := stk.Credentials(ns)
	err := stack.PrepareNamespace(t.Context(), stk.Client, stack.NamespaceOptions{Name: ns, Endpoint: endpoint, Credentials: creds})
	if err != nil {
		t.Fatalf("cannot prepare namespace %s: %v", ns, err)
	}
	s := &scenario{t: t, ns: ns, creds: creds, ec2: stack.NewEC2Client(endpoint, stack.DefaultRegion, creds)}
	t.Cleanup(s.cleanup)
	if s.net, err = stack.SeedNetwork(t.Context(), s.ec2, ns, 3); err != nil {
		t.Fatalf("cannot seed the EC2 network: %v", err)
	}
	return s
}

// in returns the scenario for a subtest t.
func (s *scenario) in(t *testing.T) *scenario {
	t.Helper()
	c := *s
	c.t = t
	return &c
}

// managedLists are the kinds of managed resources cleanup deletes.
func managedLists() []client.ObjectList {
	return []client.ObjectList{&v1alpha1.RouteList{}, &v1alpha1.NATGatewayList{}, &v1alpha1.ElasticIPList{}}
}

func (s *scenario) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var all []client.Object
	for _, l := range managedLists() {
		if err := stk.Client.List(ctx, l, client.InNamespace(s.ns)); err != nil {
			s.t.Errorf("cleanup: cannot list managed resources: %v", err)
			return
		}
		for _, o := range listItems(l) {
			all = append(all, o)
			if err := stk.Client.Delete(ctx, o); err != nil && !kerrors.IsNotFound(err) {
				s.t.Errorf("cleanup: cannot delete %s %s: %v", stack.Kind(o), o.GetName(), err)
			}
		}
	}
	for _, o := range all {
		if err := stk.WaitGone(ctx, o, goneTimeout); err != nil {
			s.t.Errorf("cleanup: %v", err)
		}
	}
	for _, o := range []client.Object{
		&apisv1alpha1.ClusterProviderConfig{ObjectMeta: metav1.ObjectMeta{Name: s.ns}},
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: s.ns}},
	} {
		if err := stk.Client.Delete(ctx, o); err != nil && !kerrors.IsNotFound(err) {
			s.t.Errorf("cleanup: cannot delete %s %s: %v", stack.Kind(o), o.GetName(), err)
		}
	}
}

func listItems(l client.ObjectList) []client.Object {
	var out []client.Object
	switch l := l.(type) {
	case *v1alpha1.RouteList:
		for i := range l.Items {
			out = append(out, &l.Items[i])
		}
	case *v1alpha1.NATGatewayList:
		for i := range l.Items {
			out = append(out, &l.Items[i])
		}
	case *v1alpha1.ElasticIPList:
		for i := range l.Items {
			out = append(out, &l.Items[i])
		}
	}
	return out
}

// create creates objects in the scenario's namespace.
func (s *scenario) create(objs ...client.Object) {
	s.t.Helper()
	for _, o := range objs {
		o.SetNamespace(s.ns)
		if err := stk.Client.Create(s.t.Context(), o); err != nil {
			s.t.Fatalf("cannot create %s %s: %v", stack.Kind(o), o.GetName(), err)
		}
	}
}

// waitFor waits until check passes for o.
func (s *scenario) waitFor(o client.Object, timeout time.Duration, check stack.Check) {
	s.t.Helper()
	if err := stk.WaitFor(s.t.Context(), o, timeout, check); err != nil {
		s.t.Fatal(err)
	}
}

// waitReady waits until o is Synced and Ready.
func (s *scenario) waitReady(o client.Object) {
	s.t.Helper()
	s.waitFor(o, readyTimeout, stack.Ready())
}

// externalNameIsNot wants an external name other than old (and not empty).
func externalNameIsNot(old string) stack.Check {
	return func(o client.Object) error {
		if n := meta.GetExternalName(o); n == "" || n == old {
			return errors.Errorf("external name is %q, want a new one", n)
		}
		return nil
	}
}

// gateways returns every NAT gateway of the scenario's account, in any
// state, through the EC2 API.
func (s *scenario) gateways() []types.NatGateway {
	s.t.Helper()
	var out []types.NatGateway
	pages := ec2.NewDescribeNatGatewaysPaginator(s.ec2, &ec2.DescribeNatGatewaysInput{})
	for pages.HasMorePages() {
		p, err := pages.NextPage(s.t.Context())
		if err != nil {
			s.t.Fatalf("cannot describe NAT gateways: %v", err)
		}
		out = append(out, p.NatGateways...)
	}
	return out
}

// gateway returns the gateway with the given ID through the EC2 API.
func (s *scenario) gateway(id string) types.NatGateway {
	s.t.Helper()
	out, err := s.ec2.DescribeNatGateways(s.t.Context(), &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
	if err != nil || len(out.NatGateways) != 1 {
		s.t.Fatalf("cannot describe NAT gateway %s: %v", id, err)
	}
	return out.NatGateways[0]
}

// liveGatewaysOf returns the IDs of the pending or available gateways tagged
// with the UID of o.
func liveGatewaysOf(gws []types.NatGateway, o client.Object) []string {
	var ids []string
	for _, gw := range gws {
		if tag(gw.Tags, tagUID) != string(o.GetUID()) {
			continue
		}
		if gw.State == types.NatGatewayStatePending || gw.State == types.NatGatewayStateAvailable {
			ids = append(ids, aws.ToString(gw.NatGatewayId))
		}
	}
	return ids
}

func tag(tags []types.Tag, key string) string {
	for _, t := range tags {
		if aws.ToString(t.Key) == key {
			return aws.ToString(t.Value)
		}
	}
	return ""
}

// state returns ec2sim's view of the scenario's account.
func (s *scenario) state() ec2sim.RegionState {
	s.t.Helper()
	st, err := stk.EC2Sim.Admin.State(s.t.Context(), s.creds.AccessKeyID, stack.DefaultRegion)
	if err != nil {
		s.t.Fatalf("cannot read ec2sim state: %v", err)
	}
	if len(st.Regions) != 1 {
		return ec2sim.RegionState{}
	}
	return st.Regions[0]
}

// findEvent returns the first event about o of the given type and reason
// whose message contains part.
func findEvent(ctx context.Context, o client.Object, eventType, reason, part string) (*corev1.Event, error) {
	evs, err := stk.Events(ctx, o)
	if err != nil {
		return nil, err
	}
	for i, e := range evs {
		if e.Type == eventType && e.Reason == reason && strings.Contains(e.Message, part) {
			return &evs[i], nil
		}
	}
	return nil, errors.Errorf("no %s event %s with %q", eventType, reason, part)
}

// event waits for an event about o of the given type and reason whose
// message contains part, or fails the test.
func (s *scenario) event(o client.Object, eventType, reason, part string) corev1.Event {
	s.t.Helper()
	var found *corev1.Event
	err := pollFor(s.t.Context(), 30*time.Second, func() error {
		var err error
		found, err = findEvent(s.t.Context(), o, eventType, reason, part)
		return err
	})
	if err != nil {
		s.t.Fatalf("%v\n%s", err, stk.Describe(s.t.Context(), o))
	}
	return *found
}

// hasEvent reports whether there is an event about o of the given type and
// reason whose message contains part.
func (s *scenario) hasEvent(o client.Object, eventType, reason, part string) bool {
	s.t.Helper()
	e, _ := findEvent(s.t.Context(), o, eventType, reason, part)
	return e != nil
}

// delete deletes o.
func (s *scenario) delete(o client.Object) {
	s.t.Helper()
	if err := stk.Client.Delete(s.t.Context(), o); err != nil && !kerrors.IsNotFound(err) {
		s.t.Fatalf("cannot delete %s %s: %v", stack.Kind(o), o.GetName(), err)
	}
}

// get reads o again.
func (s *scenario) get(o client.Object) {
	s.t.Helper()
	if err := stk.Client.Get(s.t.Context(), client.ObjectKeyFromObject(o), o); err != nil {
		s.t.Fatalf("cannot get %s %s: %v", stack.Kind(o), o.GetName(), err)
	}
}

// readExample reads an example file and returns its objects of type T.
func readExample[T client.Object](t *testing.T, path string) []T {
	t.Helper()
	objs, err := stack.ReadObjects(stk.Scheme, path)
	if err != nil {
		t.Fatal(err)
	}
	var out []T
	for _, o := range objs {
		if v, ok := o.(T); ok {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s holds no %T", path, *new(T))
	}
	return out
}

// contains reports whether s holds v.
func contains[T comparable](s []T, v T) bool { return slices.Contains(s, v) }

// pollFor calls check until it returns nil, at most timeout.
func pollFor(ctx context.Context, timeout time.Duration, check func() error) error {
	return local.Poll(ctx, timeout, func(context.Context) error { return check() })
}
