// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// recreationReasons returns the values of the reason label of the
// recreations counter: the states a replaced gateway can be found in.
func recreationReasons() []string {
	return []string{
		v1alpha1.FoundStateDeleted,
		v1alpha1.FoundStateNotFound,
		v1alpha1.FoundStateFailed,
		v1alpha1.FoundStateReplaced,
	}
}

// recreationsTotal counts the NAT gateways the provider created in place of
// one that was deleted, purged, failed or had to be replaced. It is served
// with controller-runtime's metrics.
//
//nolint:gochecknoglobals // A Prometheus collector is registered once per process.
var recreationsTotal = newRecreationsCounter()

//nolint:gochecknoinits // Registers the collector once per process, before any controller runs.
func init() {
	metrics.Registry.MustRegister(recreationsTotal)
}

// newRecreationsCounter returns the recreations counter with every reason
// initialised to zero, so that rates can be computed from the first healing.
func newRecreationsCounter() *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "egresskit_natgateway_recreations_total",
		Help: "NAT gateways created in place of one found deleted, not found, failed or needing replacement, by reason.",
	}, []string{"reason"})
	for _, r := range recreationReasons() {
		c.WithLabelValues(r)
	}
	return c
}
