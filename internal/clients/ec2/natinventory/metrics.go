// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natinventory

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/prometheus/client_golang/prometheus"

	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// keyLabels are the labels of the inventory's metrics, and then extra ones:
// a Key, without its endpoint, which one provider rarely has two of.
func keyLabels(extra ...string) []string {
	return append([]string{"account", "region"}, extra...)
}

// metrics are what an Inventory counts of its listings. The Inventory is the
// prometheus.Collector: it also reports, when scraped, how old each key's
// listing is and how many gateways it holds.
type metrics struct {
	listings *prometheus.CounterVec
	errors   *prometheus.CounterVec
	duration *prometheus.HistogramVec
	gone     *prometheus.HistogramVec
	age      *prometheus.Desc
	gateways *prometheus.Desc
}

var _ prometheus.Collector = &Inventory{}

func newMetrics() *metrics {
	return &metrics{
		listings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "egresskit_natinventory_listings_total",
			Help: "Listings of the NAT gateways of an account and region, failed or not.",
		}, keyLabels()),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "egresskit_natinventory_listing_errors_total",
			Help: "Failed listings of the NAT gateways of an account and region, by EC2 error code or NoResponse.",
		}, keyLabels("code")),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "egresskit_natinventory_listing_duration_seconds",
			Help:    "How long a listing of the NAT gateways of an account and region took, every page and budget wait included.",
			Buckets: prometheus.ExponentialBuckets(0.01, 4, 8),
		}, keyLabels()),
		gone: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "egresskit_natinventory_gone_gateways",
			Help:    "Gateways a listing found newly deleting, deleted, failed or vanished, per listing after the first of an account and region.",
			Buckets: []float64{0, 1, 2, 5, 10, 50, 100, 1000},
		}, keyLabels()),
		age: prometheus.NewDesc("egresskit_natinventory_listing_age_seconds",
			"Seconds since the latest successful listing of the NAT gateways of an account and region began; since the listing of the key started while none succeeded.",
			keyLabels(), nil),
		gateways: prometheus.NewDesc("egresskit_natinventory_gateways",
			"NAT gateways in the latest successful listing of an account and region, by state.",
			keyLabels("state"), nil),
	}
}

// labels returns the values of keyLabels for k.
func (k Key) labels() []string {
	return []string{k.Account, k.Region}
}

// listed records a listing of k that took d and failed with err, if not nil.
func (m *metrics) listed(k Key, d time.Duration, err error) {
	l := k.labels()
	m.listings.WithLabelValues(l...).Inc()
	m.duration.WithLabelValues(l...).Observe(d.Seconds())
	if err == nil {
		return
	}
	code := ec2client.ErrorCode(err)
	if code == "" {
		code = ec2client.CodeNoResponse
	}
	m.errors.WithLabelValues(append(l, code)...).Inc()
}

// changed records that a listing of k found n gateways gone.
func (m *metrics) changed(k Key, n int) {
	m.gone.WithLabelValues(k.labels()...).Observe(float64(n))
}

// Describe implements prometheus.Collector.
func (i *Inventory) Describe(ch chan<- *prometheus.Desc) {
	i.metrics.listings.Describe(ch)
	i.metrics.errors.Describe(ch)
	i.metrics.duration.Describe(ch)
	i.metrics.gone.Describe(ch)
	ch <- i.metrics.age
	ch <- i.metrics.gateways
}

// states are the values of the state label of egresskit_natinventory_gateways.
func states() []types.NatGatewayState {
	return types.NatGatewayStatePending.Values()
}

// Collect implements prometheus.Collector.
func (i *Inventory) Collect(ch chan<- prometheus.Metric) {
	i.metrics.listings.Collect(ch)
	i.metrics.errors.Collect(ch)
	i.metrics.duration.Collect(ch)
	i.metrics.gone.Collect(ch)

	now := i.clock.Now()
	i.mu.Lock()
	defer i.mu.Unlock()
	for k, s := range i.scopes {
		l := k.labels()
		since := s.since
		if s.snap != nil {
			since = s.snap.taken
		}
		ch <- prometheus.MustNewConstMetric(i.metrics.age, prometheus.GaugeValue, now.Sub(since).Seconds(), l...)
		if s.snap == nil {
			continue
		}
		n := map[types.NatGatewayState]int{}
		for _, gw := range s.snap.gateways {
			n[gw.State]++
		}
		for _, st := range states() {
			ch <- prometheus.MustNewConstMetric(i.metrics.gateways, prometheus.GaugeValue, float64(n[st]), append(l, string(st))...)
		}
	}
}
