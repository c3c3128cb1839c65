// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package coalesce

import (
	"context"

	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
)

// WithTypedExternalConnector is managed.WithTypedExternalConnector with a
// connector whose clients record in the reconcile what Observe found and
// whether Create succeeded.
func WithTypedExternalConnector[T resource.Managed](c managed.TypedExternalConnector[T]) managed.ReconcilerOption {
	return managed.WithTypedExternalConnector[T](connector[T]{inner: c})
}

type connector[T resource.Managed] struct {
	inner managed.TypedExternalConnector[T]
}

func (c connector[T]) Connect(ctx context.Context, mg T) (managed.TypedExternalClient[T], error) {
	ec, err := c.inner.Connect(ctx, mg)
	if err != nil {
		return nil, err
	}
	return external[T]{TypedExternalClient: ec}, nil
}

type external[T resource.Managed] struct {
	managed.TypedExternalClient[T]
}

func (e external[T]) Observe(ctx context.Context, mg T) (managed.ExternalObservation, error) {
	o, err := e.TypedExternalClient.Observe(ctx, mg)
	if r := from(ctx); r != nil {
		r.creating = err == nil && creates(mg, o.ResourceExists)
	}
	return o, err
}

func (e external[T]) Create(ctx context.Context, mg T) (managed.ExternalCreation, error) {
	c, err := e.TypedExternalClient.Create(ctx, mg)
	if r := from(ctx); r != nil {
		r.created = err == nil
	}
	return c, err
}
