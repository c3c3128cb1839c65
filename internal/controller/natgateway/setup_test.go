// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"testing"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/controller/controllertest"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
)

// TestSetup builds the controller on a manager that is never started, with a
// fixed REST mapping instead of an API server: the reconciler, the field
// index, the watches and the inventory must all be accepted.
func TestSetup(t *testing.T) {
	cases := map[string]struct {
		reason string
		deps   managedopts.Dependencies
	}{
		"Defaults": {
			reason: "The controller sets up with its default settings, the inventory included.",
			deps:   managedopts.Dependencies{Clients: &controllertest.ClientFactory{}, NATInventoryInterval: DefaultInventoryInterval},
		},
		"NoInventory": {
			reason: "The controller sets up with the inventory turned off.",
			deps:   managedopts.Dependencies{Clients: &controllertest.ClientFactory{}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			mgr := controllertest.NewManager(t, v1alpha1.NATGatewayGroupVersionKind, v1alpha1.ElasticIPGroupVersionKind)
			if err := Setup(mgr, controller.DefaultOptions(), tc.deps); err != nil {
				t.Errorf("\n%s\nSetup(...): %v", tc.reason, err)
			}
		})
	}
}
