// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package chaos

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// managed lists every managed resource of the namespace.
func (e *env) managed(ctx context.Context) ([]resource.Managed, error) {
	gws := &v1alpha1.NATGatewayList{}
	eips := &v1alpha1.ElasticIPList{}
	rts := &v1alpha1.RouteList{}
	var out []resource.Managed
	for _, l := range []client.ObjectList{gws, eips, rts} {
		if err := shared.client.List(ctx, l, client.InNamespace(e.ns)); err != nil {
			return nil, errors.Wrap(err, "cannot list managed resources")
		}
	}
	for i := range eips.Items {
		out = append(out, &eips.Items[i])
	}
	for i := range gws.Items {
		out = append(out, &gws.Items[i])
	}
	for i := range rts.Items {
		out = append(out, &rts.Items[i])
	}
	return out, nil
}

// notReady returns the managed resources that are not Synced and Ready,
// each with why, and how many there are in all.
func (e *env) notReady(ctx context.Context) ([]string, int, error) {
	all, err := e.managed(ctx)
	if err != nil {
		return nil, 0, err
	}
	var out []string
	for _, mr := range all {
		s, r := mr.GetCondition(xpv2.TypeSynced), mr.GetCondition(xpv2.TypeReady)
		if s.Status != corev1.ConditionTrue || r.Status != corev1.ConditionTrue || mr.GetDeletionTimestamp() != nil {
			out = append(out, fmt.Sprintf("%s %s: Synced=%s %q, Ready=%s %s %q", stack.Kind(mr), mr.GetName(), s.Status, s.Message, r.Status, r.Reason, r.Message))
		}
	}
	sort.Strings(out)
	return out, len(all), nil
}

// waitAllReady waits until every managed resource of the namespace is
// Synced and Ready, and returns how long that took.
func (e *env) waitAllReady(ctx context.Context, timeout time.Duration) (time.Duration, error) {
	begin := time.Now()
	err := poll(ctx, timeout, func(ctx context.Context) error {
		bad, n, err := e.notReady(ctx)
		if err != nil {
			return err
		}
		if len(bad) > 0 {
			return errors.Errorf("%d of %d managed resources not Ready:\n  %s", len(bad), n, strings.Join(head(bad, 20), "\n  "))
		}
		return nil
	})
	return time.Since(begin), err
}

// deleteAll deletes every managed resource of the namespace.
func (e *env) deleteAll(ctx context.Context) ([]resource.Managed, error) {
	all, err := e.managed(ctx)
	if err != nil {
		return nil, err
	}
	for _, mr := range all {
		if err := client.IgnoreNotFound(shared.client.Delete(ctx, mr)); err != nil {
			return nil, errors.Wrapf(err, "cannot delete %s %s", stack.Kind(mr), mr.GetName())
		}
	}
	return all, nil
}

// waitNoneLeft waits until the namespace holds no managed resource.
func (e *env) waitNoneLeft(ctx context.Context, timeout time.Duration) (time.Duration, error) {
	begin := time.Now()
	err := poll(ctx, timeout, func(ctx context.Context) error {
		all, err := e.managed(ctx)
		if err != nil {
			return err
		}
		if len(all) > 0 {
			var names []string
			for _, mr := range all {
				names = append(names, fmt.Sprintf("%s %s (finalizers %v)", stack.Kind(mr), mr.GetName(), mr.GetFinalizers()))
			}
			return errors.Errorf("%d managed resources left: %s", len(all), strings.Join(head(names, 10), "; "))
		}
		return nil
	})
	return time.Since(begin), err
}

// head returns at most the first n of s.
func head(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], fmt.Sprintf("... and %d more", len(s)-n))
	}
	return s
}
