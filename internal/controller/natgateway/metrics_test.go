// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

func TestRecreationsRegistered(t *testing.T) {
	err := metrics.Registry.Register(newRecreationsCounter())
	var are prometheus.AlreadyRegisteredError
	if !errors.As(err, &are) {
		t.Fatalf("registering a second recreations counter: want AlreadyRegisteredError, got %v", err)
	}
	if are.ExistingCollector != recreationsTotal {
		t.Errorf("the registered recreations counter is not the one the controller increments")
	}
}

func TestNewRecreationsCounter(t *testing.T) {
	want := `
# HELP egresskit_natgateway_recreations_total NAT gateways created in place of one found deleted, not found, failed or needing replacement, by reason.
# TYPE egresskit_natgateway_recreations_total counter
egresskit_natgateway_recreations_total{reason="deleted"} 0
egresskit_natgateway_recreations_total{reason="failed"} 0
egresskit_natgateway_recreations_total{reason="not-found"} 0
egresskit_natgateway_recreations_total{reason="replaced"} 0
`
	c := newRecreationsCounter()
	if err := testutil.CollectAndCompare(c, strings.NewReader(want)); err != nil {
		t.Errorf("a new counter must expose every reason at zero: %v", err)
	}
	c.WithLabelValues("deleted").Inc()
	if diff := cmp.Diff(1.0, testutil.ToFloat64(c.WithLabelValues("deleted"))); diff != "" {
		t.Errorf("deleted after one increment: -want, +got:\n%s", diff)
	}
}
