// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package stack

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
	"sigs.k8s.io/yaml"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/cluster/local"
)

// A Check returns nil when an object is as wanted, or an error that says
// how it is not.
type Check func(o client.Object) error

// HasCondition wants condition t with status s and, unless empty, a message
// (or reason) that contains part.
func HasCondition(t xpv2.ConditionType, s corev1.ConditionStatus, part string) Check {
	return func(o client.Object) error {
		c, ok := o.(resource.Conditioned)
		if !ok {
			return errors.Errorf("%s has no conditions", Kind(o))
		}
		got := c.GetCondition(t)
		if got.Status != s || part != "" && !strings.Contains(got.Message, part) && !strings.Contains(string(got.Reason), part) {
			return errors.Errorf("want %s=%s %q, have %s=%s (%s) %q", t, s, part, t, got.Status, got.Reason, got.Message)
		}
		return nil
	}
}

// Ready wants Synced=True and Ready=True.
func Ready() Check {
	return All(HasCondition(xpv2.TypeSynced, corev1.ConditionTrue, ""), HasCondition(xpv2.TypeReady, corev1.ConditionTrue, ""))
}

// All wants every check to pass.
func All(checks ...Check) Check {
	return func(o client.Object) error {
		for _, c := range checks {
			if err := c(o); err != nil {
				return err
			}
		}
		return nil
	}
}

// WaitFor reads o (by its namespace and name) into o until check passes. If
// timeout passes first, the error holds the last reason, the object, its
// events and the provider's log lines about its namespace.
func (s *Stack) WaitFor(ctx context.Context, o client.Object, timeout time.Duration, check Check) error {
	err := local.Poll(ctx, timeout, func(ctx context.Context) error {
		if err := s.Client.Get(ctx, client.ObjectKeyFromObject(o), o); err != nil {
			return err
		}
		return check(o)
	})
	if err != nil {
		return errors.Errorf("%s %s/%s: %v\n%s", Kind(o), o.GetNamespace(), o.GetName(), err, s.Describe(ctx, o))
	}
	return nil
}

// WaitGone waits until o no longer exists.
func (s *Stack) WaitGone(ctx context.Context, o client.Object, timeout time.Duration) error {
	err := local.Poll(ctx, timeout, func(ctx context.Context) error {
		err := s.Client.Get(ctx, client.ObjectKeyFromObject(o), o)
		if kerrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return errors.Errorf("still exists (deletion requested at %v, finalizers %v)", o.GetDeletionTimestamp(), o.GetFinalizers())
	})
	if err != nil {
		return errors.Errorf("%s %s/%s: %v\n%s", Kind(o), o.GetNamespace(), o.GetName(), err, s.Describe(ctx, o))
	}
	return nil
}

// Events returns the events about o, oldest first.
func (s *Stack) Events(ctx context.Context, o client.Object) ([]corev1.Event, error) {
	l := &corev1.EventList{}
	if err := s.Client.List(ctx, l, client.InNamespace(o.GetNamespace())); err != nil {
		return nil, errors.Wrap(err, "cannot list events")
	}
	var out []corev1.Event
	for _, e := range l.Items {
		if e.InvolvedObject.Name == o.GetName() && e.InvolvedObject.Kind == Kind(o) {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].FirstTimestamp.Before(&out[j].FirstTimestamp) })
	return out, nil
}

// Describe returns what a person needs to see why o is not as wanted: the
// object as YAML, its events, and the provider's log lines that name its
// namespace (the last 40) followed by the last 10 lines of the log.
func (s *Stack) Describe(ctx context.Context, o client.Object) string {
	var b strings.Builder
	if y, err := yaml.Marshal(s.printable(o)); err == nil {
		fmt.Fprintf(&b, "--- %s %s/%s:\n%s", Kind(o), o.GetNamespace(), o.GetName(), y)
	}
	b.WriteString("--- events:\n")
	if evs, err := s.Events(ctx, o); err != nil {
		fmt.Fprintf(&b, "  (%v)\n", err)
	} else {
		for _, e := range evs {
			fmt.Fprintf(&b, "  %s %s %s (x%d): %s\n", e.LastTimestamp.Format(time.TimeOnly), e.Type, e.Reason, e.Count, e.Message)
		}
	}
	if s.Provider != nil {
		log := s.Provider.Process().LogPath()
		fmt.Fprintf(&b, "--- provider log (%s), lines naming %q:\n%s\n", log, o.GetNamespace(), grepTail(log, o.GetNamespace(), 40))
		fmt.Fprintf(&b, "--- provider log, last lines:\n%s\n", s.Provider.Tail(10))
	}
	return b.String()
}

// printable returns a copy of o with its apiVersion and kind, as kubectl
// shows it, without managed fields.
func (s *Stack) printable(o client.Object) client.Object {
	c, ok := o.DeepCopyObject().(client.Object)
	if !ok {
		return o
	}
	c.SetManagedFields(nil)
	if s.Scheme != nil {
		if gvk, err := apiutil.GVKForObject(o, s.Scheme); err == nil {
			c.GetObjectKind().SetGroupVersionKind(gvk)
		}
	}
	return c
}

// grepTail returns the last n lines of the file at path that contain part.
func grepTail(path, part string, n int) string {
	data, err := os.ReadFile(path) //nolint:gosec // our own log file
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	var lines []string
	for l := range strings.SplitSeq(string(data), "\n") {
		if part != "" && strings.Contains(l, part) {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
