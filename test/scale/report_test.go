// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package scale

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
)

// A result is what one run measured.
type result struct {
	config

	applyImport, readyImport time.Duration
	// taggedImport is when EC2 showed every imported gateway with its
	// ownership tags, after the import was applied.
	taggedImport time.Duration
	readyCreate  time.Duration
	// createRate is the creations a second between the first and the last
	// new external name.
	createRate float64
	// throttled counts NATGateways a condition of which told of EC2
	// throttling; misleading those once Ready while their status described
	// another gateway, or one not available.
	throttled, misleading int

	deleted       int
	detect, newID []time.Duration

	steady  steady
	peakRSS int64
}

// createRefill and createBurst are the budgeted CreateNatGateway bucket:
// half of EC2's refill of one a second and burst of 10, at the default
// --ec2-api-budget.
const (
	createRefill = 0.5
	createBurst  = 5
)

// healWindow is the time within which a replacement counts as a heal in
// the report.
const healWindow = 60 * time.Second

// line is the result as a line a script can read.
func (r result) line() string {
	return fmt.Sprintf("bench-e2e N=%d mode=%s: ready=%.1fs tagged=%.0fs create_ready=%.1fs detect_p99=%.1fs newid_p99=%.1fs calls_per_min=%.1f writes_per_min=%.1f reconciles_per_sec=%.2f rss=%.0fMiB peak_rss=%.0fMiB",
		r.n, r.mode, r.readyImport.Seconds(), r.taggedImport.Seconds(), r.readyCreate.Seconds(), quantile(r.detect, 0.99).Seconds(), quantile(r.newID, 0.99).Seconds(),
		sum(r.steady.callsPerMin), sum(r.steady.writesPerMin), r.steady.reconcilesSec, mib(r.steady.rss), mib(r.peakRSS))
}

// table prints the results as a Markdown table, and under it the steady
// state's EC2 calls by action and API server writes by verb and resource.
func table(rs []result) string {
	var b strings.Builder
	b.WriteString("| N | mode | import Ready | imports tagged | create Ready | creations/s past the burst (budget 0.5) | throttled conditions | misleading Ready | detection p50/p99/max | new ID p50/p99/max | heals ≤60s | EC2 calls/min | reconciles/s | API writes/min | RSS (of it files) | heap in use | peak RSS | CPU | goroutines |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| %d | %s | %.1fs (%d) | %.0fs | %.1fs (%d) | %.2f (%.0f%%) | %d | %d | %s | %s | %d/%d | %.1f | %.2f | %.1f | %.0f MiB (%.0f) | %.0f MiB | %.0f MiB | %.0f%% | %.0f |\n",
			r.n, r.mode, r.readyImport.Seconds(), r.n-r.create, r.taggedImport.Seconds(), r.readyCreate.Seconds(), r.create, r.createRate, 100*r.createRate/createRefill,
			r.throttled, r.misleading, summary(r.detect), summary(r.newID), within(r.newID, healWindow), r.deleted,
			sum(r.steady.callsPerMin), r.steady.reconcilesSec, sum(r.steady.writesPerMin),
			mib(r.steady.rss), mib(r.steady.rssFile), mib(r.steady.heap), mib(r.peakRSS), 100*r.steady.cpu, r.steady.goroutines)
	}
	b.WriteString("\nsteady state, per minute:\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "  N=%d %s over %s: EC2 %s; API writes %s\n", r.n, r.mode, r.steady.span.Round(time.Second), perMin(r.steady.callsPerMin), perMin(r.steady.writesPerMin))
	}
	return b.String()
}

// perMin prints a rate per key, largest first.
func perMin(m map[string]float64) string {
	if len(m) == 0 {
		return "none"
	}
	keys := slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		if m[a] != m[b] {
			if m[a] > m[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %.1f", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// summary prints p50/p99/max of ds in seconds.
func summary(ds []time.Duration) string {
	if len(ds) == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f/%.1f/%.1fs", quantile(ds, 0.5).Seconds(), quantile(ds, 0.99).Seconds(), slices.Max(ds).Seconds())
}

// quantile returns the q quantile of ds by the nearest-rank method.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(i, 0)]
}

// within counts the durations of ds at most d.
func within(ds []time.Duration, d time.Duration) int {
	n := 0
	for _, x := range ds {
		if x <= d {
			n++
		}
	}
	return n
}

func sum(m map[string]float64) float64 {
	s := 0.0
	for _, v := range m {
		s += v
	}
	return s
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
