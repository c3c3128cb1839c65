// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package follow resolves the references of a managed resource on every
// reconcile, so that a resource follows the one it references when that one
// is replaced and gets a new ID: a Route follows its NATGateway, a NATGateway
// its ElasticIP. crossplane-runtime resolves a reference only while the
// referencing field is empty, unless the reference's policy says Always;
// here Always is the default and an explicit IfNotPresent opts out. A
// controller that watches the referenced kind enqueues the referrers of a
// resource that changed, so that they follow it without waiting for their
// poll.
package follow

import (
	"context"
	"reflect"
	"strings"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/internal/controller/coalesce"
)

var _ managed.ReferenceResolver = &ReferenceResolver{}

// A resolver is a managed resource with generated reference resolvers.
type resolver interface {
	ResolveReferences(ctx context.Context, r client.Reader) error
}

// A ReferenceResolver resolves the references of a managed resource on every
// reconcile and patches the resource only when a resolved value changed,
// unless the reconcile writes it later (see coalesce.Defer).
type ReferenceResolver struct {
	client client.Client
	now    func() time.Time
}

// NewReferenceResolver returns a ReferenceResolver that reads referenced
// resources and writes resolved values with c.
func NewReferenceResolver(c client.Client) *ReferenceResolver {
	return &ReferenceResolver{client: c, now: time.Now}
}

// unresolvedGrace is how long after its creation a managed resource that was
// never reconciled may wait, without saying so, for what it references: a
// composite's resources are created together, in any order, and what one
// references gets its ID moments later.
const unresolvedGrace = 30 * time.Second

// composedMomentsAgo reports whether mg was created less than
// unresolvedGrace before now and has no Synced condition yet.
func composedMomentsAgo(mg resource.Managed, now time.Time) bool {
	return mg.GetCondition(xpv2.TypeSynced).Reason == "" && now.Sub(mg.GetCreationTimestamp().Time) < unresolvedGrace
}

// ResolveReferences of mg, if it has any.
func (r *ReferenceResolver) ResolveReferences(ctx context.Context, mg resource.Managed) error {
	rr, ok := mg.(resolver)
	if !ok {
		return nil
	}
	existing, ok := mg.DeepCopyObject().(client.Object)
	if !ok {
		return errors.Errorf("cannot copy %T", mg)
	}
	ClearReferencedValues(mg)
	if err := rr.ResolveReferences(ctx, r.client); err != nil {
		if composedMomentsAgo(mg, r.now()) {
			coalesce.Unresolved(ctx)
		}
		return errors.Wrap(err, "cannot resolve references")
	}
	if cmp.Equal(existing, mg, cmpopts.EquateEmpty()) || coalesce.Defer(ctx) {
		return nil
	}
	return errors.Wrap(r.client.Patch(ctx, mg, client.MergeFrom(existing)), "cannot update managed resource with resolved references")
}

// ResolvePolicyIfNotPresent is the resolve policy that keeps a resolved value
// once it is set. crossplane/apis names only its counterpart, Always.
const ResolvePolicyIfNotPresent xpv2.ResolvePolicy = "IfNotPresent"

// ClearReferencedValues empties every field of mg's spec.forProvider that is
// set from a reference, unless that reference's resolve policy is an
// explicit IfNotPresent, so that the next resolution reads the referenced
// resource again. A field named X is set from XRef; a list named Xs from
// XRefs.
func ClearReferencedValues(mg resource.Managed) {
	fp := forProvider(mg)
	if !fp.IsValid() {
		return
	}
	refType := reflect.TypeFor[*xpv2.NamespacedReference]()
	refsType := reflect.TypeFor[[]xpv2.NamespacedReference]()
	t := fp.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		v := fp.Field(i)
		switch {
		case f.Type == refType && !v.IsNil():
			ref, _ := reflect.TypeAssert[*xpv2.NamespacedReference](v)
			if keepsValue(ref.Policy) {
				continue
			}
			clearField(fp, strings.TrimSuffix(f.Name, "Ref"))
		case f.Type == refsType && v.Len() > 0:
			refs, _ := reflect.TypeAssert[[]xpv2.NamespacedReference](v)
			if keepsValue(refs[0].Policy) {
				continue
			}
			clearField(fp, strings.TrimSuffix(f.Name, "Refs")+"s")
		}
	}
}

// keepsValue reports whether a reference's policy explicitly asks to resolve
// only while the value is empty.
func keepsValue(p *xpv2.Policy) bool {
	return p != nil && p.Resolve != nil && *p.Resolve == ResolvePolicyIfNotPresent
}

func forProvider(mg resource.Managed) reflect.Value {
	v := reflect.ValueOf(mg)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return reflect.Value{}
	}
	spec := v.Elem().FieldByName("Spec")
	if !spec.IsValid() || spec.Kind() != reflect.Struct {
		return reflect.Value{}
	}
	fp := spec.FieldByName("ForProvider")
	if !fp.IsValid() || fp.Kind() != reflect.Struct {
		return reflect.Value{}
	}
	return fp
}

func clearField(s reflect.Value, name string) {
	f := s.FieldByName(name)
	if f.IsValid() && f.CanSet() {
		f.SetZero()
	}
}
