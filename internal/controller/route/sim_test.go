// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim/ec2simtest"
)

// simNetwork is a VPC with a public subnet and a private route table in the
// EC2 simulator, reached with the unmodified SDK client.
type simNetwork struct {
	t      *testing.T
	sim    *ec2sim.Server
	api    *ec2.Client
	subnet string
	table  string
}

func newSimNetwork(t *testing.T, d ec2sim.Durations) *simNetwork {
	t.Helper()
	ctx := context.Background()
	sim, api := ec2simtest.Start(t, ec2sim.Options{Durations: d}, region)
	vpc, err := api.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(vpcCIDR)})
	if err != nil {
		t.Fatal(err)
	}
	sn, err := api.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24")})
	if err != nil {
		t.Fatal(err)
	}
	rt, err := api.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc.Vpc.VpcId})
	if err != nil {
		t.Fatal(err)
	}
	return &simNetwork{t: t, sim: sim, api: api, subnet: *sn.Subnet.SubnetId, table: *rt.RouteTable.RouteTableId}
}

func (n *simNetwork) advance(d time.Duration) {
	n.t.Helper()
	if _, err := n.sim.SetClock(context.Background(), ec2sim.ClockUpdate{Advance: d}); err != nil {
		n.t.Fatal(err)
	}
}

// natGateway creates a public NAT gateway with a new address.
func (n *simNetwork) natGateway() string {
	n.t.Helper()
	ctx := context.Background()
	a, err := n.api.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc})
	if err != nil {
		n.t.Fatal(err)
	}
	gw, err := n.api.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(n.subnet), AllocationId: a.AllocationId})
	if err != nil {
		n.t.Fatal(err)
	}
	return *gw.NatGateway.NatGatewayId
}

// routes returns the destinations and targets of the table.
func (n *simNetwork) routes() map[string]string {
	n.t.Helper()
	out, err := n.api.DescribeRouteTables(context.Background(), &ec2.DescribeRouteTablesInput{RouteTableIds: []string{n.table}})
	if err != nil {
		n.t.Fatal(err)
	}
	m := map[string]string{}
	for _, r := range out.RouteTables[0].Routes {
		m[aws.ToString(r.DestinationCidrBlock)] = target(r) + " " + string(r.State)
	}
	return m
}

// TestAgainstEC2Sim drives the external client through the life of a route
// against the EC2 simulator: created to a pending gateway, ready once it is
// available, a blackhole when the gateway is deleted outside Crossplane,
// pointed at the replacement, and deleted without touching other routes.
func TestAgainstEC2Sim(t *testing.T) {
	ctx := context.Background()
	n := newSimNetwork(t, ec2sim.Durations{Pending: time.Hour, Deleting: time.Hour, Retention: 2 * time.Hour})
	e := newExternal(n.api, nil)
	observe := func(cr *v1alpha1.Route) managed.ExternalObservation {
		t.Helper()
		o, err := e.Observe(ctx, cr)
		if err != nil {
			t.Fatalf("Observe: %v", err)
		}
		return o
	}
	ready := func(cr *v1alpha1.Route) xpv2.Condition { return cr.GetCondition(xpv2.TypeReady) }

	gwA := n.natGateway()
	cr := route(func(cr *v1alpha1.Route) {
		cr.Spec.ForProvider.RouteTableID = n.table
		cr.Spec.ForProvider.NATGatewayID = aws.String(gwA)
	})
	name, err := externalName(cr.Spec.ForProvider)
	if err != nil {
		t.Fatal(err)
	}
	meta.SetExternalName(cr, name)

	// Created to a pending gateway: up to date, not ready until available.
	if o := observe(cr); o.ResourceExists {
		t.Fatal("Observe before Create: the route must not exist")
	}
	if _, err := e.Create(ctx, cr); err != nil {
		t.Fatalf("Create: %v", err)
	}
	if o := observe(cr); !o.ResourceExists || !o.ResourceUpToDate || ready(cr).Status != "False" || !strings.Contains(ready(cr).Message, "waiting for "+gwA) {
		t.Fatalf("Observe with a pending target: got %+v, Ready %+v", o, ready(cr))
	}
	if _, err := e.Create(ctx, cr); err != nil {
		t.Fatalf("Create again, the route exists: %v", err)
	}
	n.advance(2 * time.Hour)
	if o := observe(cr); !o.ResourceUpToDate || ready(cr).Status != "True" || aws.ToString(cr.Status.AtProvider.TargetState) != "available" {
		t.Fatalf("Observe with an available target: got %+v, Ready %+v, atProvider %+v", o, ready(cr), cr.Status.AtProvider)
	}

	// Another route in the table, which the Route does not own.
	if _, err := n.api.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(n.table), DestinationCidrBlock: aws.String("192.168.0.0/16"), NatGatewayId: aws.String(gwA)}); err != nil {
		t.Fatal(err)
	}

	// The gateway is deleted outside Crossplane: the route is a blackhole
	// that pointing at the same gateway cannot fix.
	if _, err := n.api.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(gwA)}); err != nil {
		t.Fatal(err)
	}
	n.advance(90 * time.Minute)
	if o := observe(cr); !o.ResourceUpToDate || aws.ToString(cr.Status.AtProvider.State) != "blackhole" || !strings.Contains(ready(cr).Message, "is a blackhole") {
		t.Fatalf("Observe after the gateway was deleted: got %+v, state %q, Ready %+v", o, aws.ToString(cr.Status.AtProvider.State), ready(cr))
	}

	// The replacement gateway: the route follows it.
	gwB := n.natGateway()
	cr.Spec.ForProvider.NATGatewayID = aws.String(gwB)
	if o := observe(cr); o.ResourceUpToDate {
		t.Fatal("Observe with a replaced target: want not up to date")
	}
	if _, err := e.Update(ctx, cr); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if got := n.routes()[dest]; got != gwB+" active" {
		t.Fatalf("route after Update: %q, want %s active", got, gwB)
	}
	n.advance(2 * time.Hour)
	if o := observe(cr); !o.ResourceUpToDate || ready(cr).Status != "True" {
		t.Fatalf("Observe after the replacement is available: got %+v, Ready %+v", o, ready(cr))
	}

	// Deleting removes the Route's route and no other.
	withDeletionTimestamp()(cr)
	if o := observe(cr); !o.ResourceExists {
		t.Fatal("Observe while deleting: the route exists")
	}
	if _, err := e.Delete(ctx, cr); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if o := observe(cr); o.ResourceExists {
		t.Fatal("Observe after Delete: the route must be gone")
	}
	if got := n.routes(); got[dest] != "" || got["192.168.0.0/16"] == "" || got[vpcCIDR] == "" {
		t.Fatalf("routes after Delete: %v; want only the Route's route gone", got)
	}
	if _, err := e.Delete(ctx, cr); err != nil {
		t.Fatalf("Delete again: %v", err)
	}

	// A table EC2 does not know is an error that names it.
	gone := route(func(cr *v1alpha1.Route) { cr.Spec.ForProvider.RouteTableID = "rtb-0000000000000000f" })
	if _, err := e.Observe(ctx, gone); err == nil || !strings.Contains(err.Error(), "route table rtb-0000000000000000f does not exist") {
		t.Fatalf("Observe with a missing table: %v", err)
	}
}

// TestAgainstEC2SimEventualConsistency creates a route right after the
// gateway of the NATGateway it references, while EC2 does not know the
// gateway yet: Create fails with a clear error, and succeeds once the
// gateway is visible. A route to a gateway that never existed says so.
func TestAgainstEC2SimEventualConsistency(t *testing.T) {
	ctx := context.Background()
	n := newSimNetwork(t, ec2sim.Durations{Pending: time.Hour, Deleting: time.Hour, Retention: 2 * time.Hour, Consistency: time.Minute})
	gw := n.natGateway()
	kube := (&cache{}).client()
	kube.MockGet = func(_ context.Context, _ client.ObjectKey, obj client.Object) error {
		meta.SetExternalName(obj, gw)
		meta.SetExternalCreateSucceeded(obj, time.Now())
		return nil
	}
	e := &external{client: ec2client.Explaining(n.api, ec2client.Scope{Region: region}), kube: kube, now: time.Now}

	never := route(func(cr *v1alpha1.Route) {
		cr.Spec.ForProvider.RouteTableID = n.table
		cr.Spec.ForProvider.NATGatewayID = aws.String("nat-0123456789abcdef0")
	})
	_, err := e.Create(ctx, never)
	if want := "cannot create route: EC2 refused CreateRoute with InvalidNatGatewayID.NotFound: region " + region + " has no NAT gateway nat-0123456789abcdef0; set spec.forProvider.natGatewayId to a gateway of region " + region + ", or reference a NATGateway with natGatewayIdRef"; err == nil || err.Error() != want {
		t.Fatalf("Create to a gateway that never existed: %v; want %s", err, want)
	}

	cr := route(func(cr *v1alpha1.Route) {
		cr.Spec.ForProvider.RouteTableID = n.table
		cr.Spec.ForProvider.NATGatewayID = aws.String(gw)
		cr.Spec.ForProvider.NATGatewayIDRef = &xpv2.NamespacedReference{Name: "egress-a"}
	})
	_, err = e.Create(ctx, cr)
	if err == nil || !strings.Contains(err.Error(), "EC2 does not know NAT gateway "+gw+" yet") {
		t.Fatalf("Create right after the gateway: %v; want the eventual consistency error", err)
	}
	n.advance(2 * time.Minute)
	if _, err := e.Create(ctx, cr); err != nil {
		t.Fatalf("Create once the gateway is visible: %v", err)
	}
	if got := n.routes()[dest]; got != gw+" active" {
		t.Fatalf("route: %q, want %s active", got, gw)
	}
}
