// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package coalesce

import (
	"context"
	"reflect"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
)

// WithFinalizer is managed.WithFinalizer with a Finalizer that writes with c.
func WithFinalizer(c client.Client) managed.ReconcilerOption {
	return managed.WithFinalizer(NewFinalizer(c))
}

// A Finalizer adds and removes the managed reconciler's finalizer. In a
// reconcile that a Reconciler runs, adding it also writes what the
// reconcile's hooks changed in memory before, in the same update, and
// writes nothing when the reconcile goes on to create the external
// resource: its external-create-pending update writes it all. Every update
// keeps the status that Observe found, which the API server's answer would
// replace with the stored one (crossplane-runtime#791).
type Finalizer struct {
	client client.Client
	inner  resource.Finalizer
}

// NewFinalizer returns a Finalizer that writes with c.
func NewFinalizer(c client.Client) *Finalizer {
	return &Finalizer{client: c, inner: resource.NewAPIFinalizer(c, managed.FinalizerName)}
}

// AddFinalizer adds the finalizer to obj.
func (f *Finalizer) AddFinalizer(ctx context.Context, obj resource.Object) error {
	r := from(ctx)
	if r == nil {
		return KeepStatus(obj, func() error { return f.inner.AddFinalizer(ctx, obj) })
	}
	if meta.FinalizerExists(obj, managed.FinalizerName) && !r.changed {
		return nil
	}
	meta.AddFinalizer(obj, managed.FinalizerName)
	if r.creating {
		return nil
	}
	r.changed = false
	return KeepStatus(obj, func() error {
		return errors.Wrap(f.client.Update(ctx, obj), "cannot update managed resource")
	})
}

// RemoveFinalizer removes the finalizer from obj.
func (f *Finalizer) RemoveFinalizer(ctx context.Context, obj resource.Object) error {
	return f.inner.RemoveFinalizer(ctx, obj)
}

// KeepStatus calls update, whose answer from the API server replaces the
// status of o with the stored one, and restores the status o had before.
func KeepStatus(o client.Object, update func() error) error {
	kept := o.DeepCopyObject()
	err := update()
	dst, src := statusOf(o), statusOf(kept)
	if dst.CanSet() && src.IsValid() {
		dst.Set(src)
	}
	return err
}

// statusOf returns the Status field of a pointer to a struct, or the zero
// Value.
func statusOf(o any) reflect.Value {
	v := reflect.ValueOf(o)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return reflect.Value{}
	}
	return v.Elem().FieldByName("Status")
}
