// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

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

func TestControllerOptionsCapRequeueDelay(t *testing.T) {
	co := controllerOptions(controller.Options{})
	req := reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "team", Name: "eip"}}
	var last time.Duration
	for range 20 {
		last = co.RateLimiter.When(req)
	}
	if diff := cmp.Diff(maxRequeueDelay, last); diff != "" {
		t.Errorf("the delay after 20 requeues of one ElasticIP: -want, +got:\n%s", diff)
	}
	if first := co.RateLimiter.When(reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "team", Name: "other"}}); first != time.Second {
		t.Errorf("the first requeue of another ElasticIP waits %s, want 1s", first)
	}
}
