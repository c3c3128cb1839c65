// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natinventory

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// Defaults of a Describer.
const (
	// DefaultBatchSize is the most gateways one DescribeNatGateways call of
	// a Describer asks for, by the values of one nat-gateway-id filter.
	DefaultBatchSize = 200

	// DefaultBatchCalls is how many calls of a Describer may be in flight
	// at once for one key: a slow answer holds up only the gateways it asks
	// for.
	DefaultBatchCalls = 4

	// describeTimeout bounds one batched call, which serves several
	// reconciles and so does not end with the one that started it.
	describeTimeout = 30 * time.Second
)

// A Describer describes the gateways of each key in batches: the gateways
// asked for while the key's calls are all in flight, or while they wait on
// the EC2 API budget, are described together by the next call. When many
// gateways are observed at once, as when they are imported, EC2 answers
// them with a call per batch rather than per gateway.
type Describer struct {
	size  int
	calls int

	mu     sync.Mutex
	groups map[Key]*group
}

// A group is the state of one key: the batches not sent yet, of which the
// last is open to more gateways until it is full, and the calls in flight.
type group struct {
	queued []*batch
	slots  chan struct{}
}

// A batch is the gateways one call describes, and its answer.
type batch struct {
	api  ec2client.API
	ids  []string
	done chan struct{}

	// Set before done is closed.
	gateways map[string]types.NatGateway
	err      error
}

// NewDescriber returns a Describer of DefaultBatchSize gateways a call and
// DefaultBatchCalls calls at once per key.
func NewDescriber() *Describer {
	return &Describer{size: DefaultBatchSize, calls: DefaultBatchCalls, groups: map[Key]*group{}}
}

// Describe returns gateway id of key k, or nil when EC2 does not know it, as
// ec2client.DescribeNATGateway does, from a call that may describe other
// gateways of k too. It uses api, or the api of another caller of the same
// batch: both reach k.
func (d *Describer) Describe(ctx context.Context, k Key, api ec2client.API, id string) (*types.NatGateway, error) {
	b, send := d.join(k, api, id)
	if send {
		go d.send(ctx, k, b)
	}
	select {
	case <-b.done:
	case <-ctx.Done():
		return nil, errors.Wrapf(ctx.Err(), "cannot describe NAT gateway %s", id)
	}
	if b.err != nil {
		return nil, b.err
	}
	gw, ok := b.gateways[id]
	if !ok {
		return nil, nil
	}
	return &gw, nil
}

// join adds id to the open batch of k, or to a new one that the caller is to
// send when send is true.
func (d *Describer) join(k Key, api ec2client.API, id string) (b *batch, send bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	g, ok := d.groups[k]
	if !ok {
		g = &group{slots: make(chan struct{}, d.calls)}
		d.groups[k] = g
	}
	if n := len(g.queued); n > 0 && len(g.queued[n-1].ids) < d.size {
		b = g.queued[n-1]
	} else {
		b = &batch{api: api, done: make(chan struct{})}
		g.queued = append(g.queued, b)
		send = true
	}
	b.ids = append(b.ids, id)
	return b, send
}

// send waits for one of the calls of k, closes b to more gateways, and
// describes them. The call is not cancelled with ctx, the context of the
// reconcile that opened b: it serves the others of b too.
func (d *Describer) send(ctx context.Context, k Key, b *batch) {
	d.mu.Lock()
	g := d.groups[k]
	d.mu.Unlock()
	g.slots <- struct{}{}
	defer func() { <-g.slots }()

	d.mu.Lock()
	g.queued = slices.DeleteFunc(g.queued, func(q *batch) bool { return q == b })
	ids := b.ids
	d.mu.Unlock()

	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), describeTimeout)
	defer cancel()
	b.gateways, b.err = describe(cctx, b.api, ids)
	close(b.done)
}

// describe describes the gateways ids, by a filter: unlike NatGatewayId.N, a
// filter value EC2 does not know fails nothing, it matches nothing.
func describe(ctx context.Context, api ec2client.API, ids []string) (map[string]types.NatGateway, error) {
	in := &ec2.DescribeNatGatewaysInput{
		Filter:     []types.Filter{{Name: aws.String("nat-gateway-id"), Values: ids}},
		MaxResults: aws.Int32(PageSize),
	}
	gws := make(map[string]types.NatGateway, len(ids))
	pages := ec2.NewDescribeNatGatewaysPaginator(api, in)
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			// Each caller says which of the gateways it asked for.
			return nil, err
		}
		for _, gw := range out.NatGateways {
			gws[aws.ToString(gw.NatGatewayId)] = gw
		}
	}
	return gws, nil
}
