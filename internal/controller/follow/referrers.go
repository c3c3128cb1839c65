// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package follow

import (
	"context"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
)

// EnqueueReferrers returns a map function that enqueues the managed resources
// listed by L in an object's namespace whose field index holds the object's
// name: the resources that reference it. Watching a referenced kind with it
// lets a referrer follow a change at once rather than at its next poll. The
// field must be indexed in the cache c reads.
func EnqueueReferrers[L any, PL interface {
	*L
	resource.ManagedList
}](c client.Reader, field string) handler.MapFunc {
	return func(ctx context.Context, o client.Object) []reconcile.Request {
		l := PL(new(L))
		if err := c.List(ctx, l, client.InNamespace(o.GetNamespace()), client.MatchingFields{field: o.GetName()}); err != nil {
			// The object's next change, or the referrers' poll, brings
			// them up to date.
			return nil
		}
		items := l.GetItems()
		reqs := make([]reconcile.Request, 0, len(items))
		for _, mg := range items {
			reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: mg.GetNamespace(), Name: mg.GetName()}})
		}
		return reqs
	}
}
