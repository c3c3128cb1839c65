// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package composition

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// Crossplane v2.4.0's watch circuit breaker of an XR (internal/circuit): a
// token bucket of --circuit-breaker-burst tokens, the default 100, refilled
// at --circuit-breaker-refill-rate, the default 1 a second. Every event of
// the XR itself and of a resource it composes takes tokens: one for a
// create, two for an update, as controller-runtime maps both the old and the
// new object; an object being deleted takes none. With the bucket empty the
// circuit opens for 5 minutes. The replay here counts every event from the
// XR's creation, although Crossplane maps a composed resource's events to
// the XR only once it has composed it, so it may count a few events more.
const (
	defaultCircuitBreakerBurst = 100
	circuitBreakerRefillRate   = 1.0
)

// tokens is what the event costs the circuit breaker of its XR.
func (e watchEvent) tokens() float64 {
	switch {
	case e.deleting:
		return 0
	case e.op == "update":
		return 2
	default:
		return 1
	}
}

// unresponsive returns an error for the first version of the XR seen
// unresponsive.
func (w writeReport) unresponsive() error {
	for _, e := range w.events {
		if e.unresponsive != "" {
			return errors.Errorf("%s: %s %s stopped reacting to changes of its composed resources at %.1fs: %s", w.phase, e.kind, e.name, e.at.Sub(w.events[0].at).Seconds(), e.unresponsive)
		}
	}
	return nil
}

// neededBurst is the smallest burst of a circuit breaker that the events
// leave closed.
func (w writeReport) neededBurst() int {
	lo, hi := 1, 1
	for ; ; hi *= 2 {
		if _, _, opens := w.lowestTokens(float64(hi)); !opens {
			break
		}
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if _, _, opens := w.lowestTokens(float64(mid)); !opens {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// lowestTokens replays the events through a circuit breaker of burst tokens
// that starts full, and returns the fewest tokens it held, or whether and
// when the circuit would have opened.
func (w writeReport) lowestTokens(burst float64) (lowest float64, at time.Duration, opens bool) {
	if len(w.events) == 0 {
		return burst, 0, false
	}
	tokens := burst
	lowest = burst
	begin, last := w.events[0].at, w.events[0].at
	for _, e := range w.events {
		tokens = min(burst, tokens+circuitBreakerRefillRate*e.at.Sub(last).Seconds())
		last = e.at
		if e.tokens() == 0 {
			continue
		}
		// Each token is taken alone, and the circuit opens when one is
		// wanted and none is left.
		for range int(e.tokens()) {
			if tokens < 1 {
				return 0, e.at.Sub(begin), true
			}
			tokens--
		}
		lowest = min(lowest, tokens)
	}
	return lowest, 0, false
}

func TestCircuitReplay(t *testing.T) {
	begin := time.Unix(1_800_000_000, 0)
	// events returns n events of op, one every gap, from offset.
	events := func(n int, op string, offset, gap time.Duration) []watchEvent {
		out := make([]watchEvent, 0, n)
		for i := range n {
			out = append(out, watchEvent{at: begin.Add(offset + time.Duration(i)*gap), op: op})
		}
		return out
	}
	type want struct {
		Lowest float64
		At     time.Duration
		Opens  bool
		Needed int
	}
	cases := map[string]struct {
		reason string
		events []watchEvent
		want   want
	}{
		"FiftyUpdatesAtOnce": {
			reason: "Fifty updates at once take the default bucket's 100 tokens, two each, and leave it closed.",
			events: events(50, "update", 0, 0),
			want:   want{Lowest: 0, Needed: 100},
		},
		"FiftyOneUpdatesAtOnce": {
			reason: "The fifty-first update at once finds no token and opens the circuit.",
			events: events(51, "update", 0, 0),
			want:   want{At: 0, Opens: true, Needed: 102},
		},
		"Refilled": {
			reason: "A token a second comes back between events.",
			events: append(events(50, "update", 0, 0), events(10, "update", 10*time.Second, 0)...),
			want:   want{At: 10 * time.Second, Opens: true, Needed: 110},
		},
		"CreatesTakeOne": {
			reason: "A create takes one token.",
			events: events(100, "add", 0, 0),
			want:   want{Lowest: 0, Needed: 100},
		},
		"DeletingIsFree": {
			reason: "The events of an object being deleted take no token.",
			events: append(events(50, "update", 0, 0), watchEvent{at: begin, op: "update", deleting: true}),
			want:   want{Lowest: 0, Needed: 100},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := writeReport{events: tc.events}
			lowest, at, opens := w.lowestTokens(defaultCircuitBreakerBurst)
			got := want{Lowest: lowest, At: at, Opens: opens, Needed: w.neededBurst()}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\nreplay: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
