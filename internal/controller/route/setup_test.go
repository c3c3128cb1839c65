// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"net/http"
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"

	"github.com/egresskit/provider-aws-egress/apis"
	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// TestSetup builds the controller on a manager that is never started, with a
// fixed REST mapping instead of an API server: the reconciler, the field
// index and the watches must all be accepted.
func TestSetup(t *testing.T) {
	s := runtime.NewScheme()
	if err := apis.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	mapper := func(*rest.Config, *http.Client) (meta.RESTMapper, error) {
		m := meta.NewDefaultRESTMapper(nil)
		for _, gvk := range []schema.GroupVersionKind{v1alpha1.ElasticIPGroupVersionKind, v1alpha1.NATGatewayGroupVersionKind, v1alpha1.RouteGroupVersionKind} {
			m.Add(gvk, meta.RESTScopeNamespace)
		}
		return m, nil
	}
	mgr, err := ctrl.NewManager(&rest.Config{Host: "https://127.0.0.1:1"}, ctrl.Options{
		Scheme:                 s,
		MapperProvider:         mapper,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := Setup(mgr, controller.DefaultOptions(), &clientFactory{}); err != nil {
		t.Errorf("Setup(...): %v", err)
	}
}
