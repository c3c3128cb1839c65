// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/prometheus/client_golang/prometheus"
	ktypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

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

// healingTotal times the healing of the NAT gateways the provider replaced,
// and counts the NATGateways waiting for a replacement.
//
//nolint:gochecknoglobals // A Prometheus collector is registered once per process.
var healingTotal = newHealingMetrics()

// recreationsTotal counts the NAT gateways the provider created in place of
// one that was deleted, purged, failed or had to be replaced. It is served
// with controller-runtime's metrics.
//
//nolint:gochecknoglobals // A Prometheus collector is registered once per process.
var recreationsTotal = newRecreationsCounter()

//nolint:gochecknoinits // Registers the collector once per process, before any controller runs.
func init() {
	metrics.Registry.MustRegister(recreationsTotal, healingTotal)
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

// healingBuckets bound the healing histograms, in seconds: AWS makes a NAT
// gateway available in one to a few minutes.
func healingBuckets() []float64 {
	return []float64{1, 2, 5, 10, 20, 30, 60, 120, 180, 300, 600, 1200, 3600}
}

// healingMetrics follows each NATGateway from the first observation that
// found its gateway gone (deleted, not found, failed past its backoff, or to
// be replaced) until its replacement is observed available. It lives in
// memory: a NATGateway that a restarted provider finds waiting is timed from
// its first observation after the restart.
type healingMetrics struct {
	detected  *prometheus.HistogramVec
	requested *prometheus.HistogramVec
	available *prometheus.HistogramVec
	waiting   *prometheus.Desc
	oldest    *prometheus.Desc
	now       func() time.Time

	mu   sync.Mutex
	gone map[ktypes.UID]*healingWait
}

// healingWait is a NATGateway whose gateway was found gone.
type healingWait struct {
	namespace string
	// id of the gateway found gone, and the reason label: the state it was
	// found in.
	id     string
	reason string
	// since is when it was first found gone.
	since time.Time
	// newID is the replacement, once requested.
	newID string
}

var _ prometheus.Collector = &healingMetrics{}

func newHealingMetrics() *healingMetrics {
	return &healingMetrics{
		detected: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "egresskit_natgateway_healing_detection_seconds",
			Help:    "Seconds from the deletion EC2 reports (deleteTime) of a NAT gateway found deleted to the first observation that found it so.",
			Buckets: healingBuckets(),
		}, []string{"reason"}),
		requested: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "egresskit_natgateway_healing_request_seconds",
			Help:    "Seconds from the first observation that found a NAT gateway gone to the creation of its replacement, by the state it was found in.",
			Buckets: healingBuckets(),
		}, []string{"reason"}),
		available: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "egresskit_natgateway_healing_available_seconds",
			Help:    "Seconds from the first observation that found a NAT gateway gone to the observation of its replacement available, by the state it was found in.",
			Buckets: healingBuckets(),
		}, []string{"reason"}),
		waiting: prometheus.NewDesc("egresskit_natgateway_awaiting_replacement",
			"NATGateways whose NAT gateway was found gone and whose replacement is not yet observed available, by namespace.",
			[]string{"namespace"}, nil),
		oldest: prometheus.NewDesc("egresskit_natgateway_awaiting_replacement_max_seconds",
			"Seconds the longest waiting NATGateway of a namespace has waited since its NAT gateway was found gone.",
			[]string{"namespace"}, nil),
		now:  time.Now,
		gone: map[ktypes.UID]*healingWait{},
	}
}

// trackHealing follows the healing of cr after an observation at now: it
// starts timing when the observation found the gateway gone, and stops when
// it found the replacement available.
func (e *external) trackHealing(cr *v1alpha1.NATGateway) {
	now := e.now()
	switch {
	case meta.WasDeleted(cr):
		healingTotal.forget(cr.GetUID())
	case e.found != nil:
		healingTotal.foundGone(cr, e.found.id, e.found.state, now)
	case aws.ToString(cr.Status.AtProvider.State) == string(types.NatGatewayStateAvailable):
		healingTotal.foundAvailable(cr.GetUID(), aws.ToString(cr.Status.AtProvider.NATGatewayID), now)
	}
}

// foundGone records that gateway id of cr was found gone at now, and, for a
// gateway found deleted, how long after EC2 deleted it. A NATGateway already
// waiting keeps its start when id is the gateway it waits for or its
// replacement: healing ends with a gateway available.
func (m *healingMetrics) foundGone(cr *v1alpha1.NATGateway, id, reason string, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if h, ok := m.gone[cr.GetUID()]; ok && (h.id == id || h.newID == id) {
		return
	}
	m.gone[cr.GetUID()] = &healingWait{namespace: cr.GetNamespace(), id: id, reason: reason, since: now}
	obs := cr.Status.AtProvider
	if reason == v1alpha1.FoundStateDeleted && obs.DeleteTime != nil && aws.ToString(obs.NATGatewayID) == id {
		// EC2's clock is not ours: a deletion seemingly in the future was
		// noticed at once.
		m.detected.WithLabelValues(reason).Observe(max(0, now.Sub(obs.DeleteTime.Time).Seconds()))
	}
}

// replaced records that cr's gateway previous, found gone for reason, was
// replaced by newID at now.
func (m *healingMetrics) replaced(cr *v1alpha1.NATGateway, previous, newID, reason string, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.gone[cr.GetUID()]
	if !ok || (h.id != previous && h.newID != previous) {
		h = &healingWait{namespace: cr.GetNamespace(), id: previous, reason: reason, since: now}
		m.gone[cr.GetUID()] = h
	}
	if h.newID == "" {
		m.requested.WithLabelValues(h.reason).Observe(now.Sub(h.since).Seconds())
	}
	h.newID = newID
}

// foundAvailable records that gateway id of the NATGateway uid was found
// available at now, which ends its healing if id is its replacement.
func (m *healingMetrics) foundAvailable(uid ktypes.UID, id string, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.gone[uid]
	if !ok || h.newID != id {
		return
	}
	m.available.WithLabelValues(h.reason).Observe(now.Sub(h.since).Seconds())
	delete(m.gone, uid)
}

// forget stops following the NATGateway uid: it is being deleted.
func (m *healingMetrics) forget(uid ktypes.UID) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.gone, uid)
}

// Describe implements prometheus.Collector.
func (m *healingMetrics) Describe(ch chan<- *prometheus.Desc) {
	m.detected.Describe(ch)
	m.requested.Describe(ch)
	m.available.Describe(ch)
	ch <- m.waiting
	ch <- m.oldest
}

// Collect implements prometheus.Collector.
func (m *healingMetrics) Collect(ch chan<- prometheus.Metric) {
	m.detected.Collect(ch)
	m.requested.Collect(ch)
	m.available.Collect(ch)

	now := m.now()
	n := map[string]int{}
	oldest := map[string]time.Time{}
	m.mu.Lock()
	for _, h := range m.gone {
		n[h.namespace]++
		if t, ok := oldest[h.namespace]; !ok || h.since.Before(t) {
			oldest[h.namespace] = h.since
		}
	}
	m.mu.Unlock()
	for ns, c := range n {
		ch <- prometheus.MustNewConstMetric(m.waiting, prometheus.GaugeValue, float64(c), ns)
		ch <- prometheus.MustNewConstMetric(m.oldest, prometheus.GaugeValue, now.Sub(oldest[ns]).Seconds(), ns)
	}
}

// registerInventoryMetrics serves the metrics of inv with controller-runtime's
// metrics, in place of those of an inventory set up before in this process.
func registerInventoryMetrics(inv prometheus.Collector) error {
	err := metrics.Registry.Register(inv)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		metrics.Registry.Unregister(are.ExistingCollector)
		err = metrics.Registry.Register(inv)
	}
	return errors.Wrap(err, "cannot register the metrics of the NAT gateway inventory")
}
