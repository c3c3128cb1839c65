// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ktypes "k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/natinventory"
)

// DefaultInventoryInterval is how often the gateways of each account and
// region in use are listed.
const DefaultInventoryInterval = 5 * time.Second

// An inventory serves gateways from recent listings. *natinventory.Inventory
// is one.
type inventory interface {
	// Get returns gateway id of the account and region k, if
	// a fresh listing holds it, and starts listing k with api.
	Get(k natinventory.Key, api ec2client.API, id string) (types.NatGateway, bool)

	// Peek returns gateway id from whichever key's listing holds it, as Get
	// does, without asking for any key.
	Peek(id string) (types.NatGateway, bool)

	// Touch records that the provider just changed gateway id.
	Touch(k natinventory.Key, id string)
}

var _ inventory = &natinventory.Inventory{}

// inventoryIdle is how long the gateways of an account and region are still listed after the last observation that asked for them: a
// few poll intervals (of settled gateways, the longest), so a steady set of
// NATGateways keeps its listing.
func inventoryIdle(poll, interval time.Duration) time.Duration {
	return 3 * max(poll, interval)
}

// inventoryKey returns what the inventory lists for the gateways e's client
// reaches in region: those of its account and region, whatever provider
// configuration reaches the account.
func (e *external) inventoryKey(region string) natinventory.Key {
	return natinventory.KeyOf(ec2client.ScopeOf(e.client, region))
}

// A describer describes gateways, in batches with those other reconciles
// ask for at the same time. *natinventory.Describer is one.
type describer interface {
	// Describe returns gateway id of the account and region k, or nil when
	// EC2 does not know it.
	Describe(ctx context.Context, k natinventory.Key, api ec2client.API, id string) (*types.NatGateway, error)
}

var _ describer = &natinventory.Describer{}

// gateway returns gateway id of cr, or nil when EC2 does not know it. It is
// served from the inventory when a fresh snapshot holds it in a settled
// state; otherwise, and always to confirm that a gateway is gone, it is
// described, in a batch when there is a describer.
func (e *external) gateway(ctx context.Context, cr *v1alpha1.NATGateway, id string) (*types.NatGateway, error) {
	if e.inventory != nil {
		k := e.inventoryKey(cr.Spec.ForProvider.Region)
		if gw, ok := e.inventory.Get(k, e.client, id); ok && settled(gw) {
			return &gw, nil
		}
		if e.describer != nil {
			return e.describer.Describe(ctx, k, e.client, id)
		}
	}
	return ec2client.DescribeNATGateway(ctx, e.client, id)
}

// settled reports whether a listed gateway is in a state that a snapshot may
// report: available with no address changing, deleted or failed. A gateway
// in transition is described, so it is followed as closely as the short poll
// interval allows.
func settled(gw types.NatGateway) bool {
	switch gw.State {
	case types.NatGatewayStateAvailable:
		return !slices.ContainsFunc(gw.NatGatewayAddresses, func(a types.NatGatewayAddress) bool { return transitional(a.Status) })
	case types.NatGatewayStateDeleted, types.NatGatewayStateFailed:
		return true
	case types.NatGatewayStatePending, types.NatGatewayStateDeleting:
		return false
	}
	return false
}

// touch tells the inventory that the gateway of cr was just changed, so no
// snapshot taken before serves it.
func (e *external) touch(cr *v1alpha1.NATGateway) {
	id := meta.GetExternalName(cr)
	if e.inventory == nil || id == "" {
		return
	}
	e.inventory.Touch(e.inventoryKey(cr.Spec.ForProvider.Region), id)
}

// inventorySource is a source of reconcile requests for the NATGateways
// whose gateways the inventory found deleting, deleted, failed, gone or
// changed.
func inventorySource(inv *natinventory.Inventory, u *urgency) source.TypedSource[reconcile.Request] {
	return source.TypedChannel(inv.Events(), enqueueOwner(u))
}

// enqueueOwner enqueues the NATGateway a changed gateway was made for:
// through u, ahead of routine work, when the gateway no longer carries
// traffic.
func enqueueOwner(u *urgency) handler.TypedEventHandler[natinventory.Change, reconcile.Request] {
	return handler.TypedFuncs[natinventory.Change, reconcile.Request]{
		GenericFunc: func(_ context.Context, e event.TypedGenericEvent[natinventory.Change], q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			req := reconcile.Request{NamespacedName: ktypes.NamespacedName{Namespace: e.Object.Owner.Namespace, Name: e.Object.Owner.Name}}
			if e.Object.Alarming() {
				u.add(q, req)
				return
			}
			q.Add(req)
		},
	}
}
