// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package managedopts

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// MappingTimeout bounds how long WaitForMappings waits for the API server's
// discovery to serve a kind whose CRD is Established.
const MappingTimeout = time.Minute

// mappingInterval is how often WaitForMappings asks again.
const mappingInterval = 250 * time.Millisecond

// WaitForMappings waits until m maps every kind. The safe-start gate opens
// once a kind's CRD is Established, which Crossplane's package manager makes
// happen when a ManagedResourceActivationPolicy activates the kind, but the
// API server's discovery may serve the kind a moment later; until then
// indexing or watching it fails with "no matches for kind".
func WaitForMappings(ctx context.Context, m meta.RESTMapper, timeout time.Duration, gvks ...schema.GroupVersionKind) error {
	var last error
	err := wait.PollUntilContextTimeout(ctx, mappingInterval, timeout, true, func(context.Context) (bool, error) {
		for _, gvk := range gvks {
			if _, err := m.RESTMapping(gvk.GroupKind(), gvk.Version); err != nil {
				if meta.IsNoMatchError(err) {
					last = err
					return false, nil
				}
				return false, err
			}
		}
		return true, nil
	})
	if err != nil && last != nil {
		return errors.Wrapf(last, "cannot map kinds after %s", timeout)
	}
	return errors.Wrap(err, "cannot map kinds")
}
