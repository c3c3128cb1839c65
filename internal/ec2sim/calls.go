// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"maps"
	"sync"
)

// CallStats counts the requests of one action.
type CallStats struct {
	// Calls counts every request of the action, including retries.
	Calls int64 `json:"calls"`
	// Throttled counts requests answered RequestLimitExceeded by the
	// token buckets.
	Throttled int64 `json:"throttled"`
	// Injected counts requests answered with an injected error.
	Injected int64 `json:"injected"`
	// Errors counts error responses by code, throttles and injected errors
	// included.
	Errors map[string]int64 `json:"errors,omitempty"`
}

// invalidActionKey counts requests whose action is missing or unknown.
const invalidActionKey = "_invalid"

type callCounter struct {
	mu    sync.Mutex
	stats map[string]*CallStats
	// byClient counts requests by client ID, then action.
	byClient map[string]map[string]int64
}

func newCallCounter() *callCounter {
	return &callCounter{stats: map[string]*CallStats{}, byClient: map[string]map[string]int64{}}
}

func (c *callCounter) entry(action string) *CallStats {
	s, ok := c.stats[action]
	if !ok {
		s = &CallStats{}
		c.stats[action] = s
	}
	return s
}

func (c *callCounter) call(action string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entry(action).Calls++
}

func (c *callCounter) failed(action, code string, throttled, injected bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.entry(action)
	if s.Errors == nil {
		s.Errors = map[string]int64{}
	}
	s.Errors[code]++
	if throttled {
		s.Throttled++
	}
	if injected {
		s.Injected++
	}
}

func (c *callCounter) snapshot() map[string]CallStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]CallStats, len(c.stats))
	for k, v := range c.stats {
		cp := *v
		if v.Errors != nil {
			cp.Errors = make(map[string]int64, len(v.Errors))
			maps.Copy(cp.Errors, v.Errors)
		}
		out[k] = cp
	}
	return out
}

func (c *callCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats = map[string]*CallStats{}
	c.byClient = map[string]map[string]int64{}
}
