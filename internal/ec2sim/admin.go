// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"context"
	"encoding/json"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// Admin operates the simulator out of band. *Server implements it
// in-process and *AdminClient over the admin HTTP API.
type Admin interface {
	// DeleteNatGateway deletes a gateway as if from the console: it goes
	// deleting, or straight to deleted when immediate is true.
	DeleteNatGateway(ctx context.Context, id string, immediate bool) error
	// FailNatGateway makes a pending, available or deleting gateway failed
	// with the given failure code and message (defaults when empty).
	FailNatGateway(ctx context.Context, id, code, message string) error
	// PurgeNatGateway forgets a gateway at once, whatever its state.
	PurgeNatGateway(ctx context.Context, id string) error
	// Purge forgets every deleted and failed gateway at once and returns
	// how many it forgot.
	Purge(ctx context.Context) (int, error)
	// SetFaults replaces the injected faults and releases held responses.
	SetFaults(ctx context.Context, faults []Fault) error
	// Faults returns the injected faults, with the uses left in Times.
	Faults(ctx context.Context) ([]Fault, error)
	// SetThrottle switches throttling and overrides bucket sizes.
	SetThrottle(ctx context.Context, cfg ThrottleConfig) error
	// Throttle returns the throttle configuration.
	Throttle(ctx context.Context) (ThrottleConfig, error)
	// SetDurations changes the lifecycle durations of later transitions
	// and returns the durations in force. Zero fields keep their current
	// value; negative fields mean no wait.
	SetDurations(ctx context.Context, d Durations) (Durations, error)
	// SetClock changes the speed of the simulated clock or moves it
	// forward.
	SetClock(ctx context.Context, u ClockUpdate) (ClockStatus, error)
	// Clock returns the simulated time and speed.
	Clock(ctx context.Context) (ClockStatus, error)
	// Calls returns per-action request counts.
	Calls(ctx context.Context) (map[string]CallStats, error)
	// ClientCalls returns request counts by client ID, then action. A
	// client names itself with an app/ID token in its User-Agent, as the
	// AWS SDKs write their application ID (AWS_SDK_UA_APP_ID); requests
	// without one count under "".
	ClientCalls(ctx context.Context) (map[string]map[string]int64, error)
	// ResetCalls sets the request counts to zero.
	ResetCalls(ctx context.Context) error
	// Reset forgets all state and counts and restores the Options.
	Reset(ctx context.Context) error
	// State lists the simulated resources, optionally of one account
	// (access key) and region.
	State(ctx context.Context, account, region string) (State, error)
}

var (
	_ Admin = (*Server)(nil)
	_ Admin = (*AdminClient)(nil)
)

// ErrNotFound is returned for an unknown gateway ID.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a gateway is not in a state the operation
// applies to.
var ErrConflict = errors.New("conflict")

// ClockUpdate changes the simulated clock.
type ClockUpdate struct {
	// Speed, when set, is the new number of simulated seconds per
	// wall-clock second; it must be positive.
	Speed *float64
	// Advance moves the simulated time forward.
	Advance time.Duration
}

type clockUpdateJSON struct {
	Speed   *float64 `json:"speed,omitempty"`
	Advance string   `json:"advance,omitempty"`
}

// MarshalJSON writes Advance as a Go duration string.
func (u ClockUpdate) MarshalJSON() ([]byte, error) {
	j := clockUpdateJSON{Speed: u.Speed}
	if u.Advance != 0 {
		j.Advance = u.Advance.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads Advance as a Go duration string.
func (u *ClockUpdate) UnmarshalJSON(b []byte) error {
	var j clockUpdateJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	d, err := parseOptionalDuration(j.Advance)
	if err != nil {
		return err
	}
	*u = ClockUpdate{Speed: j.Speed, Advance: d}
	return nil
}

// ClockStatus is the simulated time and speed.
type ClockStatus struct {
	Now   time.Time `json:"now"`
	Speed float64   `json:"speed"`
}

// findNatLocked returns a gateway and its region after advancing the region.
func (s *Server) findNatLocked(id string) (*regionState, *natGateway, error) {
	now := s.clock.Now()
	for _, r := range s.regions {
		r.advance(now, s.durations)
		if n, ok := r.natGateways[id]; ok {
			return r, n, nil
		}
	}
	return nil, nil, errors.Wrapf(ErrNotFound, "NAT gateway %s", id)
}

// DeleteNatGateway implements Admin.
func (s *Server) DeleteNatGateway(_ context.Context, id string, immediate bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, n, err := s.findNatLocked(id)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	r.beginDelete(n, now, s.durations)
	if immediate && n.state == stateDeleting {
		r.finishDelete(n, now, s.durations)
	}
	return nil
}

// FailNatGateway implements Admin.
func (s *Server) FailNatGateway(_ context.Context, id, code, message string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, n, err := s.findNatLocked(id)
	if err != nil {
		return err
	}
	if !n.live() {
		return errors.Wrapf(ErrConflict, "NAT gateway %s is %s", id, n.state)
	}
	if code == "" {
		code = codeInternalError
	}
	if message == "" {
		eni := ""
		if len(n.addresses) > 0 {
			eni = n.addresses[0].eniID
		}
		message = "Network interface " + eni + ", created and used internally by this NAT gateway is in an invalid state. Please try again."
	}
	r.fail(n, s.clock.Now(), code, message, "", s.durations)
	return nil
}

// PurgeNatGateway implements Admin.
func (s *Server) PurgeNatGateway(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, n, err := s.findNatLocked(id)
	if err != nil {
		return err
	}
	r.purge(n)
	return nil
}

// Purge implements Admin.
func (s *Server) Purge(_ context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	purged := 0
	for _, r := range s.regions {
		r.advance(now, s.durations)
		for _, n := range r.natGateways {
			if n.state == stateDeleted || n.state == stateFailed {
				r.purge(n)
				purged++
			}
		}
	}
	return purged, nil
}

// SetFaults implements Admin.
func (s *Server) SetFaults(_ context.Context, faults []Fault) error {
	return s.faults.set(faults)
}

// Faults implements Admin.
func (s *Server) Faults(_ context.Context) ([]Fault, error) {
	return s.faults.list(), nil
}

// SetThrottle implements Admin.
func (s *Server) SetThrottle(_ context.Context, cfg ThrottleConfig) error {
	for a, b := range cfg.Buckets {
		if !knownAction(a) {
			return errors.Errorf("throttle bucket for %q: not an action of the simulator", a)
		}
		if b.Max < 1 || b.Refill < 0 {
			return errors.Errorf("throttle bucket for %q: max must be at least 1 and refill not negative", a)
		}
	}
	s.throttle.set(cfg)
	return nil
}

// Throttle implements Admin.
func (s *Server) Throttle(_ context.Context) (ThrottleConfig, error) {
	return s.throttle.config(), nil
}

// SetDurations implements Admin.
func (s *Server) SetDurations(_ context.Context, d Durations) (Durations, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.durations = d.over(s.durations)
	return s.durations, nil
}

// SetClock implements Admin.
func (s *Server) SetClock(ctx context.Context, u ClockUpdate) (ClockStatus, error) {
	if u.Speed != nil {
		if *u.Speed <= 0 {
			return ClockStatus{}, errors.New("clock speed must be positive")
		}
		s.clock.SetSpeed(*u.Speed)
	}
	if u.Advance < 0 {
		return ClockStatus{}, errors.New("the clock only moves forward")
	}
	s.clock.Advance(u.Advance)
	return s.Clock(ctx)
}

// Clock implements Admin.
func (s *Server) Clock(_ context.Context) (ClockStatus, error) {
	return ClockStatus{Now: s.clock.Now(), Speed: s.clock.Speed()}, nil
}

// Calls implements Admin.
func (s *Server) Calls(_ context.Context) (map[string]CallStats, error) {
	return s.calls.snapshot(), nil
}

// ResetCalls implements Admin.
func (s *Server) ResetCalls(_ context.Context) error {
	s.calls.reset()
	return nil
}

// Reset implements Admin.
func (s *Server) Reset(ctx context.Context) error {
	if err := s.faults.set(s.opts.Faults); err != nil {
		return err
	}
	s.throttle.set(ThrottleConfig{Enabled: !s.opts.DisableThrottling, Buckets: s.opts.Buckets})
	s.clock.SetSpeed(s.opts.ClockSpeed)
	s.calls.reset()
	if err := s.resetIAM(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.regions = map[regionKey]*regionState{}
	s.durations = s.opts.Durations.withDefaults()
	return nil
}
