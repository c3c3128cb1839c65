// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/xcrd"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/egresskit/provider-aws-egress/internal/function/input/v1beta1"
)

// composedNamespace returns the namespace to set on the composed resources.
//
// Crossplane puts the composed resources of a namespaced composite resource
// into its namespace, so none is set. A cluster-scoped composite resource
// gets nothing from Crossplane: its namespaced managed resources go to the
// namespace of its claim, which Crossplane labels it with from the first
// reconcile, or else to the input's resourceNamespace. Without either the
// function fails before it composes anything, because Crossplane records
// references to composed resources before it creates them and a reference
// without a namespace wedges the composite resource for good.
func composedNamespace(xr *resource.Composite, in *v1beta1.Input) (string, error) {
	if xr.Resource.GetNamespace() != "" {
		return "", nil
	}
	if ns := xr.Resource.GetLabels()[xcrd.LabelKeyClaimNamespace]; ns != "" {
		return ns, nil
	}
	if in.ResourceNamespace != "" {
		return in.ResourceNamespace, nil
	}
	return "", errors.Errorf("composite resource %s is cluster-scoped and has no %s label, so its namespaced managed resources have no namespace: create it through a claim, or set resourceNamespace in the function input", xr.Resource.GetName(), xcrd.LabelKeyClaimNamespace)
}

// claimed tells whether the composite resource was created through a claim.
func claimed(xr *resource.Composite) bool {
	return xr.Resource.GetLabels()[xcrd.LabelKeyClaimNamespace] != ""
}
