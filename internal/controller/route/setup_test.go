// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"testing"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/controller/controllertest"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
)

// TestSetup builds the controller on a manager that is never started, with a
// fixed REST mapping instead of an API server: the reconciler, the field
// index and the watches must all be accepted.
func TestSetup(t *testing.T) {
	mgr := controllertest.NewManager(t, v1alpha1.ElasticIPGroupVersionKind, v1alpha1.NATGatewayGroupVersionKind, v1alpha1.RouteGroupVersionKind)
	if err := Setup(mgr, controller.DefaultOptions(), managedopts.Dependencies{Clients: &controllertest.ClientFactory{}}); err != nil {
		t.Errorf("Setup(...): %v", err)
	}
}
