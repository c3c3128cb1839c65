// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package managedopts

import (
	"context"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// lateMapper maps its kind only after misses calls, as a RESTMapper does
// while discovery does not yet serve a new CRD.
type lateMapper struct {
	meta.RESTMapper
	misses int
}

func (m *lateMapper) RESTMapping(gk schema.GroupKind, versions ...string) (*meta.RESTMapping, error) {
	if m.misses > 0 {
		m.misses--
		return nil, &meta.NoKindMatchError{GroupKind: gk, SearchedVersions: versions}
	}
	return m.RESTMapper.RESTMapping(gk, versions...)
}

func TestWaitForMappings(t *testing.T) {
	gvk := schema.GroupVersionKind{Group: "ec2.aws.m.egresskit.io", Version: "v1alpha1", Kind: "NATGateway"}
	known := meta.NewDefaultRESTMapper(nil)
	known.Add(gvk, meta.RESTScopeNamespace)

	cases := map[string]struct {
		reason  string
		mapper  meta.RESTMapper
		wantErr bool
	}{
		"Late": {
			reason: "A kind discovery serves after a few misses is waited for.",
			mapper: &lateMapper{RESTMapper: known, misses: 3},
		},
		"Never": {
			reason:  "A kind discovery never serves is an error once the timeout passes.",
			mapper:  meta.NewDefaultRESTMapper(nil),
			wantErr: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := WaitForMappings(context.Background(), tc.mapper, 2*time.Second, gvk)
			if (err != nil) != tc.wantErr {
				t.Errorf("%s\nWaitForMappings(...): got error %v, want error %t", tc.reason, err, tc.wantErr)
			}
		})
	}
}
