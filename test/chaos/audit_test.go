// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package chaos

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// tagUID is the ownership tag that holds a managed resource's UID.
const tagUID = "egresskit.io/uid"

// States of a NAT gateway that ec2sim reports.
const (
	statePending   = "pending"
	stateAvailable = "available"
	stateDeleting  = "deleting"
)

// An audit is ec2sim's state held against the managed resources: what is
// live in EC2, and what of it no managed resource owns.
type audit struct {
	// Live objects: pending or available gateways, Elastic IPs, routes
	// other than local ones. Deleting counts gateways on their way out.
	gateways, deleting, addresses, routes int
	// duplicates are the managed resources with more than one live
	// gateway, each with its gateways.
	duplicates []string
	// Leaks are live objects that no managed resource owns: a gateway or
	// address whose UID tag names no managed resource, or one that names
	// another object; a route that no Route's table and destination name.
	leakedGateways, leakedAddresses, leakedRoutes []string
	// misrouted are owned routes that do not target their Route's gateway.
	misrouted []string
}

// clean reports whether nothing is duplicated, leaked or misrouted.
func (a audit) clean() bool {
	return len(a.duplicates)+len(a.leakedGateways)+len(a.leakedAddresses)+len(a.leakedRoutes)+len(a.misrouted) == 0
}

// empty reports whether nothing at all is live, nor being deleted.
func (a audit) empty() bool {
	return a.gateways+a.deleting+a.addresses+a.routes == 0
}

func (a audit) String() string {
	s := fmt.Sprintf("live in EC2: %d gateways (%d more deleting), %d addresses, %d routes; %d duplicate gateways; leaked: %d gateways, %d addresses, %d routes; %d misrouted",
		a.gateways, a.deleting, a.addresses, a.routes, len(a.duplicates), len(a.leakedGateways), len(a.leakedAddresses), len(a.leakedRoutes), len(a.misrouted))
	for _, l := range []struct {
		name  string
		items []string
	}{{"duplicates", a.duplicates}, {"leaked gateways", a.leakedGateways}, {"leaked addresses", a.leakedAddresses}, {"leaked routes", a.leakedRoutes}, {"misrouted", a.misrouted}} {
		if len(l.items) > 0 {
			s += fmt.Sprintf("\n  %s: %s", l.name, strings.Join(l.items, "; "))
		}
	}
	return s
}

// owners are the managed resources of a namespace by UID, and Routes by
// external name.
type owners struct {
	gateways  map[string]*v1alpha1.NATGateway
	addresses map[string]*v1alpha1.ElasticIP
	routes    map[string]*v1alpha1.Route
	// gatewayByName maps a NATGateway's name to its external name.
	gatewayByName map[string]string
}

func (e *env) owners(ctx context.Context) (owners, error) {
	o := owners{gateways: map[string]*v1alpha1.NATGateway{}, addresses: map[string]*v1alpha1.ElasticIP{}, routes: map[string]*v1alpha1.Route{}, gatewayByName: map[string]string{}}
	gws := &v1alpha1.NATGatewayList{}
	eips := &v1alpha1.ElasticIPList{}
	rts := &v1alpha1.RouteList{}
	for _, l := range []client.ObjectList{gws, eips, rts} {
		if err := shared.client.List(ctx, l, client.InNamespace(e.ns)); err != nil {
			return o, err
		}
	}
	for i := range gws.Items {
		g := &gws.Items[i]
		o.gateways[string(g.UID)] = g
		o.gatewayByName[g.Name] = meta.GetExternalName(g)
	}
	for i := range eips.Items {
		o.addresses[string(eips.Items[i].UID)] = &eips.Items[i]
	}
	for i := range rts.Items {
		o.routes[meta.GetExternalName(&rts.Items[i])] = &rts.Items[i]
	}
	return o, nil
}

// audit reads ec2sim's state and the namespace's managed resources.
func (e *env) audit(ctx context.Context) (audit, error) {
	o, err := e.owners(ctx)
	if err != nil {
		return audit{}, err
	}
	st, err := e.state(ctx)
	if err != nil {
		return audit{}, err
	}
	return auditState(st, o), nil
}

func auditState(st ec2sim.RegionState, o owners) audit {
	var a audit
	live := map[string][]string{}
	for _, g := range st.NatGateways {
		switch g.State {
		case stateDeleting:
			a.deleting++
			continue
		case statePending, stateAvailable:
		default:
			continue
		}
		a.gateways++
		uid := g.Tags[tagUID]
		live[uid] = append(live[uid], g.ID)
		if mr, ok := o.gateways[uid]; !ok || meta.GetExternalName(mr) != g.ID {
			a.leakedGateways = append(a.leakedGateways, fmt.Sprintf("%s (%s, uid %q, %s)", g.ID, g.State, uid, ownerName(g.Tags)))
		}
	}
	for _, uid := range slices.Sorted(maps.Keys(live)) {
		if ids := live[uid]; len(ids) > 1 {
			a.duplicates = append(a.duplicates, fmt.Sprintf("uid %q: %s", uid, strings.Join(ids, ", ")))
		}
	}
	for _, ad := range st.Addresses {
		a.addresses++
		uid := ad.Tags[tagUID]
		if mr, ok := o.addresses[uid]; !ok || meta.GetExternalName(mr) != ad.AllocationID {
			a.leakedAddresses = append(a.leakedAddresses, fmt.Sprintf("%s (uid %q, %s, held by %q)", ad.AllocationID, uid, ownerName(ad.Tags), ad.NatGatewayID))
		}
	}
	for _, t := range st.RouteTables {
		for _, r := range t.Routes {
			if r.GatewayID == "local" {
				continue
			}
			a.routes++
			key := t.ID + "_" + r.DestinationCidrBlock
			mr, ok := o.routes[key]
			if !ok {
				a.leakedRoutes = append(a.leakedRoutes, fmt.Sprintf("%s to %s", key, r.NatGatewayID))
				continue
			}
			if ref := mr.Spec.ForProvider.NATGatewayIDRef; ref != nil && o.gatewayByName[ref.Name] != r.NatGatewayID {
				a.misrouted = append(a.misrouted, fmt.Sprintf("%s to %s, want %s", key, r.NatGatewayID, o.gatewayByName[ref.Name]))
			}
		}
	}
	return a
}

// ownerName names the managed resource the ownership tags point at.
func ownerName(tags map[string]string) string {
	return tags["crossplane-kind"] + " " + tags["crossplane-name"]
}
