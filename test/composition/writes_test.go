// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package composition

import (
	"context"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	kcache "k8s.io/client-go/tools/cache"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// Resources whose events reach an XR's circuit breaker: the XRs, and the
// managed resources they compose.
var (
	xegresses        = schema.GroupVersionResource{Group: "egress.egresskit.io", Version: "v1alpha1", Resource: "xegresses"}
	xclusteregresses = schema.GroupVersionResource{Group: "egress.egresskit.io", Version: "v1alpha1", Resource: "xclusteregresses"}
	managedResources = []schema.GroupVersionResource{
		v1alpha1.SchemeGroupVersion.WithResource("elasticips"),
		v1alpha1.SchemeGroupVersion.WithResource("natgateways"),
		v1alpha1.SchemeGroupVersion.WithResource("routes"),
	}
)

// A watchEvent is one change of an object as a watch delivers it.
type watchEvent struct {
	at time.Time
	// kind and name of the object; composite is the XR it belongs to: its
	// own name for an XR.
	kind, name, composite string
	// op is add, update or delete; fields are those an update changed.
	op     string
	fields []string
	// deleting tells that the object had a deletion timestamp, which lets
	// the event past the circuit breaker for free.
	deleting bool
	// unresponsive is the Responsive condition of an XR that Crossplane
	// stopped reacting to, empty while it reacts.
	unresponsive string
}

// A writeLog records every change of the XRs and managed resources of a
// namespace, as Crossplane's watches see them.
type writeLog struct {
	mu     sync.Mutex
	events []watchEvent
}

// watchWrites starts recording the changes of the managed resources in ns
// and of the XRs of xr, in ns unless it is cluster-scoped, until t ends.
func (env *environment) watchWrites(t *testing.T, ns string, xr schema.GroupVersionResource, clusterScoped bool) *writeLog {
	t.Helper()
	c, err := dynamic.NewForConfig(env.cp.Config)
	if err != nil {
		t.Fatalf("cannot create a dynamic client: %v", err)
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	t.Cleanup(cancel)
	l := &writeLog{}
	xrNS := ns
	if clusterScoped {
		xrNS = ""
	}
	factories := []dynamicinformer.DynamicSharedInformerFactory{
		dynamicinformer.NewFilteredDynamicSharedInformerFactory(c, 0, ns, nil),
		dynamicinformer.NewFilteredDynamicSharedInformerFactory(c, 0, xrNS, nil),
	}
	var synced []kcache.InformerSynced
	add := func(f dynamicinformer.DynamicSharedInformerFactory, gvr schema.GroupVersionResource) {
		inf := f.ForResource(gvr).Informer()
		if _, err := inf.AddEventHandler(l.handler()); err != nil {
			t.Fatalf("cannot watch %s: %v", gvr.Resource, err)
		}
		synced = append(synced, inf.HasSynced)
	}
	for _, gvr := range managedResources {
		add(factories[0], gvr)
	}
	add(factories[1], xr)
	for _, f := range factories {
		f.Start(ctx.Done())
	}
	if !kcache.WaitForCacheSync(t.Context().Done(), synced...) {
		t.Fatalf("cannot start watching the resources of namespace %s", ns)
	}
	return l
}

func (l *writeLog) handler() kcache.ResourceEventHandlerFuncs {
	return kcache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			if u, ok := obj.(*unstructured.Unstructured); ok {
				l.record(eventOf("add", u))
			}
		},
		UpdateFunc: func(oldObj, newObj any) {
			o, ok := oldObj.(*unstructured.Unstructured)
			n, ok2 := newObj.(*unstructured.Unstructured)
			if !ok || !ok2 || o.GetResourceVersion() == n.GetResourceVersion() {
				return
			}
			e := eventOf("update", n)
			e.fields = changedFields(o.Object, n.Object)
			l.record(e)
		},
		DeleteFunc: func(obj any) {
			if d, ok := obj.(kcache.DeletedFinalStateUnknown); ok {
				obj = d.Obj
			}
			if u, ok := obj.(*unstructured.Unstructured); ok {
				l.record(eventOf("delete", u))
			}
		},
	}
}

func eventOf(op string, u *unstructured.Unstructured) watchEvent {
	composite := u.GetLabels()[labelComposite]
	if strings.HasPrefix(u.GetKind(), "X") {
		composite = u.GetName()
	}
	e := watchEvent{
		at: time.Now(), kind: u.GetKind(), name: u.GetName(), composite: composite,
		op: op, deleting: u.GetDeletionTimestamp() != nil,
	}
	if c := condition(u, conditionResponsive); c["status"] == "False" {
		e.unresponsive = fmt.Sprintf("Responsive=False (%s): %s", c["reason"], c["message"])
	}
	return e
}

func (l *writeLog) record(e watchEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

// between returns the events of the XR named composite from begin to end.
func (l *writeLog) between(composite string, begin, end time.Time) []watchEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []watchEvent
	for _, e := range l.events {
		if e.composite == composite && !e.at.Before(begin) && !e.at.After(end) {
			out = append(out, e)
		}
	}
	return out
}

// ignoredFields change with every write, or with the spec.
var ignoredFields = map[string]bool{
	"metadata.resourceVersion": true,
	"metadata.managedFields":   true,
	"metadata.generation":      true,
}

// maxFieldDepth is how deep changedFields follows maps: a field of the
// observation, such as status.atProvider.tags, counts as one.
const maxFieldDepth = 3

// changedFields returns the paths of the fields that differ between a and
// b: maps are followed maxFieldDepth deep, a list of conditions by type, and
// any other list is one field.
func changedFields(a, b map[string]any) []string {
	var out []string
	var walk func(path string, a, b any)
	walk = func(path string, a, b any) {
		if ignoredFields[path] || reflect.DeepEqual(a, b) {
			return
		}
		am, aok := a.(map[string]any)
		bm, bok := b.(map[string]any)
		if (aok || a == nil) && (bok || b == nil) && (aok || bok) && depth(path) < maxFieldDepth {
			keys := slices.Sorted(maps.Keys(am))
			for k := range bm {
				if _, ok := am[k]; !ok {
					keys = append(keys, k)
				}
			}
			for _, k := range keys {
				walk(join(path, k), am[k], bm[k])
			}
			return
		}
		if strings.HasSuffix(path, "conditions") {
			ac, bc := byType(a), byType(b)
			for k := range bc {
				if _, ok := ac[k]; !ok {
					ac[k] = nil
				}
			}
			for _, k := range slices.Sorted(maps.Keys(ac)) {
				if !reflect.DeepEqual(ac[k], bc[k]) {
					out = append(out, fmt.Sprintf("%s[%s]", path, k))
				}
			}
			return
		}
		out = append(out, path)
	}
	walk("", a, b)
	return out
}

func depth(path string) int {
	if path == "" {
		return 0
	}
	return strings.Count(path, ".") + strings.Count(path, "[") + 1
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	if strings.HasPrefix(path, "metadata.annotations") || strings.HasPrefix(path, "metadata.labels") {
		return path + "[" + k + "]"
	}
	return path + "." + k
}

// byType indexes a list of conditions by type.
func byType(l any) map[string]any {
	out := map[string]any{}
	items, _ := l.([]any)
	for _, c := range items {
		if m, ok := c.(map[string]any); ok {
			if t, ok := m["type"].(string); ok {
				out[t] = m
			}
		}
	}
	return out
}

// A writeReport sums up the events of an XR in one phase.
type writeReport struct {
	phase    string
	duration time.Duration
	events   []watchEvent
}

// updates counts the update events, not those of objects being deleted.
func (w writeReport) updates() int {
	n := 0
	for _, e := range w.events {
		if e.op == "update" && !e.deleting {
			n++
		}
	}
	return n
}

// String prints the events per object and per field changed, and what the
// default circuit breaker would have made of them.
func (w writeReport) String() string {
	type count struct {
		updates int
		fields  map[string]int
	}
	perObject := map[string]*count{}
	perField := map[string]int{}
	tokens := 0.0
	for _, e := range w.events {
		tokens += e.tokens()
		if e.op != "update" || e.deleting {
			continue
		}
		k := e.kind + " " + e.name
		if perObject[k] == nil {
			perObject[k] = &count{fields: map[string]int{}}
		}
		perObject[k].updates++
		for _, f := range e.fields {
			perObject[k].fields[f]++
			perField[f]++
		}
	}
	b := &strings.Builder{}
	lowest, at, opens := w.lowestTokens(defaultCircuitBreakerBurst)
	verdict := fmt.Sprintf("it stays closed, with %.0f tokens left at the lowest", lowest)
	if opens {
		verdict = fmt.Sprintf("it opens at %.1fs", at.Seconds())
	}
	fmt.Fprintf(b, "%s (%.1fs): %d updates of %d objects, %d events in all, %.0f tokens of the XR's circuit breaker (refilled at %.0f/s); with Crossplane's default burst of %d %s; it needs a burst of %d",
		w.phase, w.duration.Seconds(), w.updates(), len(perObject), len(w.events), tokens, circuitBreakerRefillRate, defaultCircuitBreakerBurst, verdict, w.neededBurst())
	for _, k := range slices.Sorted(maps.Keys(perObject)) {
		c := perObject[k]
		fmt.Fprintf(b, "\n  %s: %d updates: %s", k, c.updates, formatCounts(c.fields))
	}
	fmt.Fprintf(b, "\n  by field: %s", formatCounts(perField))
	return b.String()
}

// formatCounts prints counts, highest first.
func formatCounts(m map[string]int) string {
	keys := slices.Collect(maps.Keys(m))
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// writesSince returns the changes of the XR and its managed resources from
// begin until now, in phase of the scenario.
func (r *run) writesSince(begin time.Time, phase string) writeReport {
	end := time.Now()
	return writeReport{
		phase:    fmt.Sprintf("%s %s/%s %s", r.obj.GetKind(), r.ns, r.obj.GetName(), phase),
		duration: end.Sub(begin),
		events:   r.writes.between(r.xr.GetName(), begin, end),
	}
}

// reportWrites prints the changes of the XR and its managed resources from
// begin until now, in phase of the scenario, and returns them.
func (r *run) reportWrites(t *testing.T, phase string, begin time.Time) writeReport {
	t.Helper()
	w := r.writesSince(begin, phase)
	t.Log(w)
	fmt.Fprintln(os.Stdout, w)
	return w
}

func TestChangedFields(t *testing.T) {
	cases := map[string]struct {
		reason string
		a, b   map[string]any
		want   []string
	}{
		"Annotations": {
			reason: "An annotation counts by its key; the resource version does not count.",
			a:      map[string]any{"metadata": map[string]any{"resourceVersion": "1", "annotations": map[string]any{"a": "1"}}},
			b:      map[string]any{"metadata": map[string]any{"resourceVersion": "2", "annotations": map[string]any{"a": "1", "crossplane.io/external-name": "x"}}},
			want:   []string{"metadata.annotations[crossplane.io/external-name]"},
		},
		"Conditions": {
			reason: "Conditions count by type.",
			a:      map[string]any{"status": map[string]any{"conditions": []any{map[string]any{"type": "Ready", "status": "False"}, map[string]any{"type": "Synced", "status": "True"}}}},
			b:      map[string]any{"status": map[string]any{"conditions": []any{map[string]any{"type": "Ready", "status": "True"}, map[string]any{"type": "Synced", "status": "True"}}}},
			want:   []string{"status.conditions[Ready]"},
		},
		"ObservationField": {
			reason: "A field of the observation counts as one, however deep it changed.",
			a:      map[string]any{"status": map[string]any{"atProvider": map[string]any{"tags": map[string]any{"a": "1"}}}},
			b:      map[string]any{"status": map[string]any{"atProvider": map[string]any{"tags": map[string]any{"a": "2", "b": "1"}, "state": "pending"}}},
			want:   []string{"status.atProvider.tags", "status.atProvider.state"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, changedFields(tc.a, tc.b)); diff != "" {
				t.Errorf("\n%s\nchangedFields(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
