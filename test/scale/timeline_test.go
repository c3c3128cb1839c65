// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package scale

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// A timeline records, from a watch, when each NATGateway of the run's
// namespace changed as the benchmark sees it.
type timeline struct {
	mu   sync.Mutex
	objs map[string]*track
}

// A track is what the timeline knows of one NATGateway.
type track struct {
	ext      string
	extSetAt time.Time
	ready    bool
	readyAt  time.Time

	// throttled: a condition once said EC2 throttled a request.
	throttled bool
	// misleading: Ready=True was once seen while the status described
	// another gateway than the external name, or one not available.
	misleading bool

	// An out-of-band deletion of gateway oldID at deletedAt, noticed at
	// detectAt and replaced by a new ID at newIDAt.
	deletedAt, detectAt, newIDAt time.Time
	oldID                        string
}

// watchTimeline watches the run's NATGateways until the test ends.
func watchTimeline(t *testing.T, cfg *rest.Config, s *runtime.Scheme) *timeline {
	t.Helper()
	wc, err := client.NewWithWatch(cfg, client.Options{Scheme: s})
	if err != nil {
		t.Fatal(err)
	}
	tl := &timeline{objs: map[string]*track{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); <-done })
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			if err := tl.follow(ctx, wc); err != nil && ctx.Err() == nil {
				t.Logf("watch of NATGateways ended, following again: %v", err)
				time.Sleep(time.Second)
			}
		}
	}()
	return tl
}

// follow lists the NATGateways, then records every change until the watch
// ends.
func (tl *timeline) follow(ctx context.Context, wc client.WithWatch) error {
	l := &v1alpha1.NATGatewayList{}
	if err := wc.List(ctx, l, client.InNamespace(namespace)); err != nil {
		return err
	}
	now := time.Now()
	for i := range l.Items {
		tl.record(&l.Items[i], now)
	}
	w, err := wc.Watch(ctx, &v1alpha1.NATGatewayList{}, client.InNamespace(namespace), &client.ListOptions{Raw: &metav1.ListOptions{ResourceVersion: l.ResourceVersion}})
	if err != nil {
		return err
	}
	defer w.Stop()
	for ev := range w.ResultChan() {
		switch ev.Type {
		case watch.Added, watch.Modified:
			if gw, ok := ev.Object.(*v1alpha1.NATGateway); ok {
				tl.record(gw, time.Now())
			}
		case watch.Error:
			return apiError(ev.Object)
		case watch.Deleted, watch.Bookmark:
		}
	}
	return ctx.Err()
}

// apiError returns the error a watch sent.
func apiError(o runtime.Object) error {
	if st, ok := o.(*metav1.Status); ok {
		return &watchError{msg: st.Message}
	}
	return &watchError{msg: "unknown watch error"}
}

type watchError struct{ msg string }

func (e *watchError) Error() string { return e.msg }

// record notes what gw says at now.
func (tl *timeline) record(gw *v1alpha1.NATGateway, now time.Time) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	tr, ok := tl.objs[gw.Name]
	if !ok {
		tr = &track{}
		tl.objs[gw.Name] = tr
	}
	ext := meta.GetExternalName(gw)
	if ext != "" && tr.extSetAt.IsZero() {
		tr.extSetAt = now
	}
	tr.ext = ext

	ready := gw.GetCondition(xpv2.TypeReady).Status == corev1.ConditionTrue
	synced := gw.GetCondition(xpv2.TypeSynced)
	ok = ready && synced.Status == corev1.ConditionTrue
	if ok && !tr.ready {
		tr.readyAt = now
	}
	tr.ready = ok
	if throttledMessage(synced.Message) || throttledMessage(gw.GetCondition(xpv2.TypeReady).Message) {
		tr.throttled = true
	}
	obs := gw.Status.AtProvider
	if ready && (aws.ToString(obs.NATGatewayID) != ext || aws.ToString(obs.State) != v1alpha1.NATGatewayStateAvailable) {
		tr.misleading = true
	}

	if tr.deletedAt.IsZero() {
		return
	}
	if tr.detectAt.IsZero() && (!ready || ext != tr.oldID) {
		tr.detectAt = now
	}
	if tr.newIDAt.IsZero() && ext != tr.oldID && ext != "" {
		tr.newIDAt = now
	}
}

// throttledMessage reports whether a condition's message tells of EC2
// throttling a request.
func throttledMessage(m string) bool {
	return strings.Contains(m, "RequestLimitExceeded") || strings.Contains(m, "Throttling")
}

// readySince returns how many NATGateways named prefix... are Ready now and
// when the last of them became Ready.
func (tl *timeline) readySince(prefix string, begin time.Time) (time.Time, int) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	last, n := begin, 0
	for name, tr := range tl.objs {
		if !strings.HasPrefix(name, prefix) || !tr.ready {
			continue
		}
		n++
		if tr.readyAt.After(last) {
			last = tr.readyAt
		}
	}
	return last, n
}

// externalNamesSet returns, in order, when the NATGateways named prefix...
// got an external name.
func (tl *timeline) externalNamesSet(prefix string) []time.Time {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	var ts []time.Time
	for name, tr := range tl.objs {
		if strings.HasPrefix(name, prefix) && !tr.extSetAt.IsZero() {
			ts = append(ts, tr.extSetAt)
		}
	}
	slices.SortFunc(ts, time.Time.Compare)
	return ts
}

// externalName returns the external name of NATGateway name.
func (tl *timeline) externalName(name string) string {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if tr, ok := tl.objs[name]; ok {
		return tr.ext
	}
	return ""
}

// deleted notes that gateway id of NATGateway name is deleted out of band
// at at.
func (tl *timeline) deleted(name, id string, at time.Time) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	tr := tl.objs[name]
	tr.deletedAt, tr.oldID = at, id
}

// allReplaced reports whether every gateway deleted out of band has a new
// ID.
func (tl *timeline) allReplaced() bool {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	for _, tr := range tl.objs {
		if !tr.deletedAt.IsZero() && tr.newIDAt.IsZero() {
			return false
		}
	}
	return true
}

// heals returns, for the gateways deleted out of band, the time from each
// deletion to its detection and to its replacement's new ID.
func (tl *timeline) heals() (detect, newID []time.Duration) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	for _, tr := range tl.objs {
		if tr.deletedAt.IsZero() {
			continue
		}
		if !tr.detectAt.IsZero() {
			detect = append(detect, tr.detectAt.Sub(tr.deletedAt))
		}
		if !tr.newIDAt.IsZero() {
			newID = append(newID, tr.newIDAt.Sub(tr.deletedAt))
		}
	}
	return detect, newID
}

// throttledConditions counts the NATGateways a condition of which once told
// of EC2 throttling.
func (tl *timeline) throttledConditions() int {
	return tl.count(func(tr *track) bool { return tr.throttled })
}

// misleadingReady counts the NATGateways once Ready while their status
// described another gateway, or one not available.
func (tl *timeline) misleadingReady() int {
	return tl.count(func(tr *track) bool { return tr.misleading })
}

func (tl *timeline) count(f func(*track) bool) int {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	n := 0
	for _, tr := range tl.objs {
		if f(tr) {
			n++
		}
	}
	return n
}
