// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"maps"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ktypes "k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/natinventory"
)

// tagTimeout bounds one CreateTags call of the tagger, budget wait included.
const tagTimeout = time.Minute

// A tagger writes the ownership tags a gateway lacks, as an imported gateway
// does, in the background: one CreateTags call at a time per account and
// region, at the pace of the EC2 API budget, which refills CreateTags more
// slowly than the reconciles of an import observe gateways. A NATGateway so
// is Ready once its gateway is observed, not once its tags are written. A
// tagged gateway joins the inventory's listing, which lists only gateways
// with ownership tags, and the next listing reconciles its NATGateway from
// the snapshot, with no call of its own. Once tagging a gateway failed, its
// NATGateway is reconciled at once, and that reconcile tags the gateway
// itself, so that the error shows in its conditions. Like the inventory, it
// runs only on the leader.
type tagger struct {
	events chan event.TypedGenericEvent[ktypes.NamespacedName]
	touch  func(k natinventory.Key, id string)

	mu  sync.Mutex
	ctx context.Context //nolint:containedctx // Workers start lazily, from submit, within Start's context.
	wg  sync.WaitGroup
	// queues hold the gateways to tag of each key, in order, by ID.
	queues map[natinventory.Key]*tagQueue
	// failed holds the gateways whose last attempt failed, until the next
	// submit for them.
	failed map[string]bool
}

// A tagQueue is the gateways of one key waiting to be tagged.
type tagQueue struct {
	order []string
	jobs  map[string]tagJob
}

// A tagJob is the tags one gateway lacks.
type tagJob struct {
	api   ec2client.API
	owner ktypes.NamespacedName
	tags  map[string]string
}

// newTagger returns a tagger that calls touch once it changed a gateway.
func newTagger(touch func(k natinventory.Key, id string)) *tagger {
	return &tagger{
		events: make(chan event.TypedGenericEvent[ktypes.NamespacedName]),
		touch:  touch,
		queues: map[natinventory.Key]*tagQueue{},
		failed: map[string]bool{},
	}
}

// NeedLeaderElection reports that only the leader tags: it is the one that
// reconciles.
func (t *tagger) NeedLeaderElection() bool {
	return true
}

// Start lets the tagger tag gateways as they are submitted, until ctx is
// done. It returns once every worker has stopped.
func (t *tagger) Start(ctx context.Context) error {
	t.mu.Lock()
	t.ctx = ctx
	t.mu.Unlock()
	<-ctx.Done()
	t.wg.Wait()
	return nil
}

// submit queues tags for gateway id of key k, made for cr, and reports
// whether it did: it does not before Start, after ctx is done, or when its
// last attempt to tag the gateway failed.
func (t *tagger) submit(k natinventory.Key, api ec2client.API, cr *v1alpha1.NATGateway, id string, tags map[string]string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failed[id] {
		delete(t.failed, id)
		return false
	}
	if t.ctx == nil || t.ctx.Err() != nil {
		return false
	}
	q, ok := t.queues[k]
	if !ok {
		q = &tagQueue{jobs: map[string]tagJob{}}
		t.queues[k] = q
		t.wg.Add(1)
		go t.work(t.ctx, k, q)
	}
	if _, queued := q.jobs[id]; !queued {
		q.order = append(q.order, id)
	}
	q.jobs[id] = tagJob{api: api, owner: ktypes.NamespacedName{Namespace: cr.GetNamespace(), Name: cr.GetName()}, tags: maps.Clone(tags)}
	return true
}

// work tags the gateways queued for k until none is left or ctx is done.
func (t *tagger) work(ctx context.Context, k natinventory.Key, q *tagQueue) {
	defer t.wg.Done()
	for {
		id, j, ok := t.next(k, q)
		if !ok || ctx.Err() != nil {
			return
		}
		cctx, cancel := context.WithTimeout(ctx, tagTimeout)
		_, err := j.api.CreateTags(cctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: ec2client.Tags(j.tags)})
		cancel()
		t.touch(k, id)
		if err == nil {
			continue
		}
		t.mu.Lock()
		t.failed[id] = true
		t.mu.Unlock()
		select {
		case t.events <- event.TypedGenericEvent[ktypes.NamespacedName]{Object: j.owner}:
		case <-ctx.Done():
			return
		}
	}
}

// next takes the first gateway of q, or, when q is empty, forgets it and
// reports false.
func (t *tagger) next(k natinventory.Key, q *tagQueue) (string, tagJob, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(q.order) == 0 {
		delete(t.queues, k)
		return "", tagJob{}, false
	}
	id := q.order[0]
	q.order = q.order[1:]
	j := q.jobs[id]
	delete(q.jobs, id)
	return id, j, true
}

// taggerSource is a source of reconcile requests for the NATGateways whose
// gateways the tagger failed to tag.
func taggerSource(t *tagger) source.TypedSource[reconcile.Request] {
	return source.TypedChannel(t.events, handler.TypedFuncs[ktypes.NamespacedName, reconcile.Request]{
		GenericFunc: func(_ context.Context, e event.TypedGenericEvent[ktypes.NamespacedName], q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			q.Add(reconcile.Request{NamespacedName: e.Object})
		},
	})
}
