// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

// reallocations counts the addresses allocated to replace one released
// outside Crossplane. It is served with controller-runtime's metrics.
//
//nolint:gochecknoglobals // A Prometheus collector is registered once per process.
var reallocations = prometheus.NewCounter(prometheus.CounterOpts{
	Name: "egresskit_elasticip_reallocations_total",
	Help: "Elastic IP addresses allocated again after the previous address of an ElasticIP was released outside Crossplane.",
})

//nolint:gochecknoinits // Registers the collector once per process, before any controller runs.
func init() {
	metrics.Registry.MustRegister(reallocations)
}
