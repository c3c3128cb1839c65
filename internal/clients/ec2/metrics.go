// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	"github.com/prometheus/client_golang/prometheus"
)

// Values of the code label of egresskit_ec2_api_requests_total that are not
// EC2 error codes.
const (
	// CodeOK counts requests EC2 answered with success.
	CodeOK = "OK"

	// CodeNoResponse counts requests that failed without an EC2 error code:
	// a connection, timeout or decoding failure.
	CodeNoResponse = "NoResponse"
)

// ProviderConfigLabel is the value of the providerconfig label of the
// provider's metrics for a provider configuration: its name, prefixed with
// its namespace for a ProviderConfig. A provider configuration stands for an
// AWS account in metrics: credentials never become labels.
func ProviderConfigLabel(namespace, name string) string {
	if namespace == "" {
		return name
	}
	return namespace + "/" + name
}

// Metrics counts the provider's EC2 requests. It is a prometheus.Collector:
// register it once, on controller-runtime's metrics.Registry.
type Metrics struct {
	requests *prometheus.CounterVec
}

var _ prometheus.Collector = &Metrics{}

// NewMetrics returns the EC2 request metrics.
func NewMetrics() *Metrics {
	return &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "egresskit_ec2_api_requests_total",
			Help: "EC2 API requests sent by the provider, each retry counted, by provider config, region, operation and result: OK, an EC2 error code, or NoResponse.",
		}, []string{"providerconfig", "region", "operation", "code"}),
	}
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	m.requests.Describe(ch)
}

// Collect implements prometheus.Collector.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	m.requests.Collect(ch)
}

// Requests returns the counter of operation with code sent with
// providerConfig (a ProviderConfigLabel) in region, for tests and
// diagnostics.
func (m *Metrics) Requests(providerConfig, region, operation, code string) prometheus.Counter {
	return m.requests.WithLabelValues(providerConfig, region, operation, code)
}

// metricsMiddlewareID names the metrics middleware in an SDK stack.
const metricsMiddlewareID = "egresskit.io/EC2APIMetrics"

// APIOption returns an SDK client API option that counts every request
// attempt of a client of providerConfig (a ProviderConfigLabel) in region
// once it is let through by the budget.
func (m *Metrics) APIOption(providerConfig, region string) func(*middleware.Stack) error {
	mw := middleware.FinalizeMiddlewareFunc(metricsMiddlewareID, func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleFinalize(ctx, in)
		r := awsmiddleware.GetRegion(ctx)
		if r == "" {
			r = region
		}
		m.requests.WithLabelValues(providerConfig, r, awsmiddleware.GetOperationName(ctx), resultCode(err)).Inc()
		return out, md, err
	})
	return func(s *middleware.Stack) error {
		if _, ok := s.Finalize.Get(budgetMiddlewareID); ok {
			return s.Finalize.Insert(mw, budgetMiddlewareID, middleware.After)
		}
		return insertAfterRetry(s, mw)
	}
}

func resultCode(err error) string {
	if err == nil {
		return CodeOK
	}
	if c := ErrorCode(err); c != "" {
		return c
	}
	return CodeNoResponse
}
