// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natinventory

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// PageSize is how many gateways one DescribeNatGateways call lists: the most
// EC2 allows.
const PageSize = 1000

// A snapshot is the gateways of a key, by ID, as listed at one time.
type snapshot struct {
	// taken is when the listing began: anything that changed before then
	// shows in it.
	taken    time.Time
	gateways map[string]types.NatGateway
}

// list lists the gateways of k, PageSize to a call.
func list(ctx context.Context, api ec2client.API, k Key) (map[string]types.NatGateway, error) {
	in := &ec2.DescribeNatGatewaysInput{Filter: ownedFilters(), MaxResults: aws.Int32(PageSize)}
	gws := map[string]types.NatGateway{}
	pages := ec2.NewDescribeNatGatewaysPaginator(api, in)
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, errors.Wrapf(err, "cannot list the NAT gateways of %s", k)
		}
		for _, gw := range out.NatGateways {
			id := aws.ToString(gw.NatGatewayId)
			if id == "" || !madeByProvider(gw.Tags) {
				continue
			}
			gws[id] = gw
		}
	}
	return gws, nil
}

// A Change is a gateway that a snapshot shows deleting, deleted or failed
// where the previous snapshot did not, one new to the listing, as a gateway
// is once it carries ownership tags, one that vanished from the listing, or
// one whose state, addresses or tags changed between two listings.
type Change struct {
	// Owner is the managed resource the gateway was made for.
	Owner Owner

	// ID of the gateway.
	ID string

	// State the gateway is in now; empty when it vanished.
	State types.NatGatewayState
}

// alarming reports whether a gateway in state s no longer carries traffic.
func alarming(s types.NatGatewayState) bool {
	switch s {
	case types.NatGatewayStateDeleting, types.NatGatewayStateDeleted, types.NatGatewayStateFailed:
		return true
	case types.NatGatewayStatePending, types.NatGatewayStateAvailable:
		return false
	}
	return false
}

// changes compares two listings and returns, sorted by ID, the gateways of
// next that are new, unless pending (the provider follows the gateways it
// creates), or became alarming, those listed in both that drifted, and
// those of prev that vanished. Gateways that name no owner are left out.
func changes(prev, next map[string]types.NatGateway) []Change {
	var cs []Change
	add := func(gw types.NatGateway, s types.NatGatewayState) {
		if o, ok := ownerOf(gw.Tags); ok {
			cs = append(cs, Change{Owner: o, ID: aws.ToString(gw.NatGatewayId), State: s})
		}
	}
	for id, gw := range next {
		old, seen := prev[id]
		// drifted covers a gateway that became alarming: its state changed.
		if seen && drifted(old, gw) || !seen && gw.State != types.NatGatewayStatePending {
			add(gw, gw.State)
		}
	}
	for id, gw := range prev {
		if _, ok := next[id]; !ok {
			add(gw, "")
		}
	}
	slices.SortFunc(cs, func(a, b Change) int { return strings.Compare(a.ID, b.ID) })
	return cs
}
