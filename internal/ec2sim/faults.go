// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"encoding/json"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// A Fault is injected into the requests of one action ("*" for every
// action). Latency and Hold are wall-clock durations.
type Fault struct {
	// Action is the EC2 action name, or "*" for all actions.
	Action string
	// ErrorRate is the probability, from 0 to 1, that a matching request
	// fails with ErrorCode.
	ErrorRate float64
	// ErrorCode is the injected error code; InternalError (HTTP 500) when
	// empty. The HTTP status follows the code (RequestLimitExceeded and
	// Unavailable 503, InternalError 500, others 400).
	ErrorCode string
	// ErrorMessage is the injected error message; a generic one when empty.
	ErrorMessage string
	// ErrorAfterApply applies the request's effect before answering with
	// the injected error, as when a response is lost.
	ErrorAfterApply bool
	// Latency is added before a matching request is handled.
	Latency time.Duration
	// LatencyRate is the probability, from 0 to 1, that Latency is added to
	// a matching request; 0 means every request.
	LatencyRate float64
	// Hold delays the response of a matching request after its effect is
	// applied, until Hold passes, the client goes away, or the faults are
	// set again or reset.
	Hold time.Duration
	// Times limits how many matching requests the fault affects; 0 means
	// no limit.
	Times int
}

type faultJSON struct {
	Action          string  `json:"action"`
	ErrorRate       float64 `json:"errorRate,omitempty"`
	ErrorCode       string  `json:"errorCode,omitempty"`
	ErrorMessage    string  `json:"errorMessage,omitempty"`
	ErrorAfterApply bool    `json:"errorAfterApply,omitempty"`
	Latency         string  `json:"latency,omitempty"`
	LatencyRate     float64 `json:"latencyRate,omitempty"`
	Hold            string  `json:"hold,omitempty"`
	Times           int     `json:"times,omitempty"`
}

// MarshalJSON writes durations as Go duration strings such as "1.5s".
func (f Fault) MarshalJSON() ([]byte, error) {
	j := faultJSON{Action: f.Action, ErrorRate: f.ErrorRate, ErrorCode: f.ErrorCode, ErrorMessage: f.ErrorMessage,
		ErrorAfterApply: f.ErrorAfterApply, LatencyRate: f.LatencyRate, Times: f.Times}
	if f.Latency != 0 {
		j.Latency = f.Latency.String()
	}
	if f.Hold != 0 {
		j.Hold = f.Hold.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads durations as Go duration strings such as "1.5s".
func (f *Fault) UnmarshalJSON(b []byte) error {
	var j faultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	out := Fault{Action: j.Action, ErrorRate: j.ErrorRate, ErrorCode: j.ErrorCode, ErrorMessage: j.ErrorMessage,
		ErrorAfterApply: j.ErrorAfterApply, LatencyRate: j.LatencyRate, Times: j.Times}
	var err error
	if out.Latency, err = parseOptionalDuration(j.Latency); err != nil {
		return err
	}
	if out.Hold, err = parseOptionalDuration(j.Hold); err != nil {
		return err
	}
	*f = out
	return nil
}

func parseOptionalDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return time.ParseDuration(s)
}

// validate checks a fault before it is installed.
func (f Fault) validate() error {
	switch {
	case f.Action == "":
		return errors.New("fault action must be an action name or \"*\"")
	case f.Action != "*" && !knownAction(f.Action):
		return errors.Errorf("fault action %q is not an action of the simulator", f.Action)
	case f.ErrorRate < 0 || f.ErrorRate > 1:
		return errors.Errorf("fault error rate %v must be between 0 and 1", f.ErrorRate)
	case f.LatencyRate < 0 || f.LatencyRate > 1:
		return errors.Errorf("fault latency rate %v must be between 0 and 1", f.LatencyRate)
	case f.Latency < 0 || f.Hold < 0 || f.Times < 0:
		return errors.Errorf("fault latency, hold and times must not be negative")
	}
	return nil
}

// A faultPlan is what the faults decide for one request.
type faultPlan struct {
	latency    time.Duration
	err        *APIError
	afterApply bool
	hold       time.Duration
	release    <-chan struct{}
}

type faultRule struct {
	Fault

	used int
}

type injector struct {
	mu      sync.Mutex
	rules   []*faultRule
	rnd     *rand.Rand
	release chan struct{}
}

func newInjector(seed uint64) *injector {
	return &injector{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), release: make(chan struct{})} //nolint:gosec // Seeded on purpose: a seed replays the same injected errors.
}

// set replaces the faults and releases every held response.
func (in *injector) set(faults []Fault) error {
	for _, f := range faults {
		if err := f.validate(); err != nil {
			return err
		}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.rules = make([]*faultRule, 0, len(faults))
	for _, f := range faults {
		in.rules = append(in.rules, &faultRule{Fault: f})
	}
	close(in.release)
	in.release = make(chan struct{})
	return nil
}

func (in *injector) list() []Fault {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := make([]Fault, 0, len(in.rules))
	for _, r := range in.rules {
		f := r.Fault
		if f.Times > 0 {
			f.Times -= r.used
		}
		out = append(out, f)
	}
	return out
}

// plan decides the faults of one request: the first rule that matches the
// action and has uses left applies.
func (in *injector) plan(action string) faultPlan {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, r := range in.rules {
		if r.Action != "*" && r.Action != action {
			continue
		}
		if r.Times > 0 && r.used >= r.Times {
			continue
		}
		r.used++
		p := faultPlan{latency: r.Latency, hold: r.Hold, release: in.release, afterApply: r.ErrorAfterApply}
		if r.LatencyRate > 0 && in.rnd.Float64() >= r.LatencyRate {
			p.latency = 0
		}
		if r.ErrorRate > 0 && in.rnd.Float64() < r.ErrorRate {
			code := r.ErrorCode
			if code == "" {
				code = codeInternalError
			}
			msg := r.ErrorMessage
			if msg == "" {
				msg = "An internal error has occurred."
				if code == codeRequestLimitExceeded {
					msg = "Request limit exceeded."
				}
			}
			p.err = &APIError{Status: statusForCode(code), Code: code, Message: msg}
		}
		return p
	}
	return faultPlan{}
}
