// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natinventory

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/event"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"

	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// DefaultIdle is how long a key goes unasked for before its listing stops,
// unless WithIdle says otherwise.
const DefaultIdle = 5 * time.Minute

// minRefreshTimeout bounds one listing from below, however short the
// interval.
const minRefreshTimeout = 10 * time.Second

// An Inventory lists the NAT gateways of each Key in use every interval, and
// serves recent snapshots of them. It is a controller-runtime Runnable: it
// lists nothing until started, and only while it holds the leader election
// when the manager uses one.
type Inventory struct {
	interval time.Duration
	fresh    time.Duration
	idle     time.Duration
	timeout  time.Duration
	clock    clock.WithTicker
	log      logging.Logger
	events   chan event.TypedGenericEvent[Change]
	metrics  *metrics

	mu sync.Mutex
	// ctx is the context of Start, which ends every listing; nil until
	// Start.
	ctx     context.Context //nolint:containedctx // Listings start lazily, from Get, within Start's context.
	stopped bool
	scopes  map[Key]*scope
	wg      sync.WaitGroup
}

// A scope is the state of one key.
type scope struct {
	// api lists the gateways: the client the key was last asked for with.
	api ec2client.API

	// used is when the key was last asked for.
	used time.Time

	// since is when the key was first asked for.
	since time.Time

	// snap is the latest successful listing; nil until there is one.
	snap *snapshot

	// stale is set when the latest listing failed: snap is kept to find
	// changes, but not served.
	stale bool

	// touched holds when the provider last changed a gateway, by ID. A
	// snapshot taken before that does not serve it.
	touched map[string]time.Time
}

// An Option configures an Inventory.
type Option func(*Inventory)

// WithClock makes an Inventory tell time and tick with c.
func WithClock(c clock.WithTicker) Option {
	return func(i *Inventory) { i.clock = c }
}

// WithLogger makes an Inventory log failed listings and the start and stop of
// listings at debug level to l.
func WithLogger(l logging.Logger) Option {
	return func(i *Inventory) { i.log = l }
}

// WithIdle sets how long a key goes unasked for before its listing stops. It
// should exceed the poll interval of the managed resources that ask.
func WithIdle(d time.Duration) Option {
	return func(i *Inventory) { i.idle = d }
}

// New returns an Inventory that lists every interval. A snapshot serves Get
// until it is one and a half intervals old.
func New(interval time.Duration, opts ...Option) (*Inventory, error) {
	if interval <= 0 {
		return nil, errors.Errorf("NAT gateway inventory interval %s is not positive: use e.g. 10s, or no inventory", interval)
	}
	i := &Inventory{
		interval: interval,
		fresh:    interval + interval/2,
		idle:     DefaultIdle,
		timeout:  max(interval+interval/2, minRefreshTimeout),
		clock:    clock.RealClock{},
		log:      logging.NewNopLogger(),
		events:   make(chan event.TypedGenericEvent[Change]),
		metrics:  newMetrics(),
		scopes:   map[Key]*scope{},
	}
	for _, o := range opts {
		o(i)
	}
	return i, nil
}

// Events delivers a Change for every gateway a listing finds deleting,
// deleted, failed or gone, after the snapshot that shows it is served. A
// listing waits until its changes are received.
func (i *Inventory) Events() <-chan event.TypedGenericEvent[Change] {
	return i.events
}

// NeedLeaderElection reports that only the leader lists: it is the one that
// reconciles.
func (i *Inventory) NeedLeaderElection() bool {
	return true
}

// Start lets the Inventory list keys as they are asked for, until ctx is
// done. It returns once every listing has stopped.
func (i *Inventory) Start(ctx context.Context) error {
	i.mu.Lock()
	if i.ctx != nil {
		i.mu.Unlock()
		return errors.New("cannot start the NAT gateway inventory: it was already started")
	}
	i.ctx = ctx
	i.mu.Unlock()

	<-ctx.Done()
	i.mu.Lock()
	i.stopped = true
	i.mu.Unlock()
	i.wg.Wait()
	return nil
}

// Get returns gateway id of key k from the latest snapshot, if the snapshot
// is fresh, holds the gateway, and was taken after the provider last changed
// it (Touch). Otherwise it reports false, and the caller should describe the
// gateway: a gateway missing from a snapshot is no proof that it is gone.
//
// Get also marks k as in use, and starts listing it with api if it is not
// listed yet; later listings use the api of the latest Get. The gateway
// returned shares memory with the snapshot: do not modify it.
func (i *Inventory) Get(k Key, api ec2client.API, id string) (types.NatGateway, bool) {
	now := i.clock.Now()
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.ctx == nil || i.stopped {
		return types.NatGateway{}, false
	}
	s, ok := i.scopes[k]
	if !ok {
		s = &scope{touched: map[string]time.Time{}, since: now}
		i.scopes[k] = s
		i.wg.Add(1)
		go i.run(i.ctx, k, s)
	}
	s.api = api
	s.used = now
	return s.lookup(id, now, i.fresh)
}

// Peek returns gateway id, as Get does, from whichever key's snapshot holds
// it (EC2's IDs are unique across accounts and regions), without asking for
// any key: it starts no listing and does not keep one going.
func (i *Inventory) Peek(id string) (types.NatGateway, bool) {
	now := i.clock.Now()
	i.mu.Lock()
	defer i.mu.Unlock()
	for _, s := range i.scopes {
		if gw, ok := s.lookup(id, now, i.fresh); ok {
			return gw, true
		}
	}
	return types.NatGateway{}, false
}

// Touch records that the provider just changed gateway id of key k: no
// snapshot taken before now serves it.
func (i *Inventory) Touch(k Key, id string) {
	now := i.clock.Now()
	i.mu.Lock()
	defer i.mu.Unlock()
	if s, ok := i.scopes[k]; ok {
		s.touched[id] = now
	}
}

// lookup returns gateway id if the snapshot of s may serve it at now.
func (s *scope) lookup(id string, now time.Time, fresh time.Duration) (types.NatGateway, bool) {
	if s.snap == nil || s.stale || now.Sub(s.snap.taken) >= fresh {
		return types.NatGateway{}, false
	}
	if t, ok := s.touched[id]; ok && !s.snap.taken.After(t) {
		return types.NatGateway{}, false
	}
	gw, ok := s.snap.gateways[id]
	return gw, ok
}

// run lists k every interval until ctx is done or k goes unused.
func (i *Inventory) run(ctx context.Context, k Key, s *scope) {
	defer i.wg.Done()
	i.log.Debug("Listing NAT gateways", "key", k.String(), "interval", i.interval.String())
	t := i.clock.NewTicker(i.interval)
	defer t.Stop()
	for {
		i.refresh(ctx, k, s)
		select {
		case <-ctx.Done():
			return
		case <-t.C():
		}
		if i.retire(k, s) {
			i.log.Debug("Stopped listing NAT gateways: no managed resource asked for them", "key", k.String(), "idle", i.idle.String())
			return
		}
	}
}

// retire forgets k if it went unasked for longer than the idle time.
func (i *Inventory) retire(k Key, s *scope) bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.clock.Since(s.used) <= i.idle {
		return false
	}
	delete(i.scopes, k)
	return true
}

// refresh lists k, serves the new snapshot, and sends the changes since the
// previous one. A failed listing marks the snapshot stale and keeps it to
// compare the next listing with.
func (i *Inventory) refresh(ctx context.Context, k Key, s *scope) {
	i.mu.Lock()
	api, prev := s.api, s.snap
	i.mu.Unlock()

	taken := i.clock.Now()
	lctx, cancel := context.WithTimeout(ctx, i.timeout)
	gws, err := list(lctx, api, k)
	cancel()
	i.metrics.listed(k, i.clock.Since(taken), err)
	if err != nil {
		i.mu.Lock()
		s.stale = true
		i.mu.Unlock()
		i.log.Debug("Cannot list NAT gateways; each is described by ID until a listing succeeds", "key", k.String(), "error", err)
		return
	}

	var cs []Change
	if prev != nil {
		cs = changes(prev.gateways, gws)
		i.metrics.changed(k, len(cs))
	}
	i.mu.Lock()
	s.snap = &snapshot{taken: taken, gateways: gws}
	s.stale = false
	for id, t := range s.touched {
		if taken.After(t) {
			delete(s.touched, id)
		}
	}
	i.mu.Unlock()

	for _, c := range cs {
		select {
		case i.events <- event.TypedGenericEvent[Change]{Object: c}:
		case <-ctx.Done():
			return
		}
	}
}
