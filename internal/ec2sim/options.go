// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"encoding/json"
	"time"
)

// Defaults of Options, short so that tests run quickly. On AWS creation and
// deletion take a few minutes and deleted or failed gateways stay listed for
// about an hour.
const (
	DefaultPending         = time.Second
	DefaultDeleting        = time.Second
	DefaultRetention       = 10 * time.Second
	DefaultAccessKey       = "AKIAEC2SIMULATOR"
	DefaultRegion          = "us-east-1"
	DefaultMaxDrain        = 350 * time.Second
	maxRequestBody   int64 = 1 << 20
)

// Options configure a Server. The zero value is a faithful simulator with
// short durations and throttling on.
type Options struct {
	// Durations of the simulated lifecycles. Zero fields take the defaults;
	// a negative field means no wait at all.
	Durations Durations

	// DisableThrottling turns EC2's request token buckets off.
	DisableThrottling bool
	// Buckets overrides the documented bucket of the named actions.
	Buckets map[string]Bucket
	// ThrottleWallClock refills the token buckets on the wall clock rather
	// than the simulated one, so a fast clock shortens lifecycles while
	// clients keep EC2's request rates.
	ThrottleWallClock bool

	// SecretKey, when set, makes the server verify every request's SigV4
	// signature with this secret access key (whatever the access key ID);
	// unsigned or wrongly signed requests get AuthFailure.
	SecretKey string
	// DefaultAccessKey and DefaultRegion name the account and region of
	// unsigned requests when no SecretKey is set.
	DefaultAccessKey string
	DefaultRegion    string

	// ClockSpeed is how many simulated seconds pass per wall-clock second
	// (1 when zero). Lifecycles, retention, drains, eventual consistency and
	// (unless ThrottleWallClock) throttle refills follow the simulated clock.
	ClockSpeed float64
	// WallClockTimestamps writes the times of responses, such as a NAT
	// gateway's createTime and deleteTime, as the wall-clock moments their
	// events happened, so a client that compares them with its own clock
	// is not misled by a fast simulated clock. The admin API's state keeps
	// simulated times.
	WallClockTimestamps bool
	// Seed seeds the random choices of injected faults.
	Seed uint64
	// Faults are installed at start.
	Faults []Fault

	// AddressLimit is the number of Elastic IP addresses per account and
	// region (AWS default 5); 0 means no limit.
	AddressLimit int
	// NatGatewayLimit is the number of pending, available or deleting NAT
	// gateways per availability zone (AWS default 5); 0 means no limit.
	NatGatewayLimit int

	// Roles are the IAM roles STS hands out sessions of.
	Roles []Role

	// WallClock returns the wall-clock time; time.Now when nil.
	WallClock func() time.Time
}

// Durations of the simulated lifecycles, in simulated time.
type Durations struct {
	// Pending is how long a new gateway stays pending before it becomes
	// available or failed, and how long a new address stays associating
	// or assigning.
	Pending time.Duration
	// Deleting is how long a gateway stays deleting before it is deleted.
	Deleting time.Duration
	// Retention is how long a deleted or failed gateway stays listed before
	// it is purged and answers NatGatewayNotFound.
	Retention time.Duration
	// Consistency is how long a new gateway stays invisible to
	// DescribeNatGateways, DeleteNatGateway and route targets (eventual
	// consistency); 0 means visible at once.
	Consistency time.Duration
}

func (d Durations) withDefaults() Durations {
	pick := func(v, def time.Duration) time.Duration {
		switch {
		case v == 0:
			return def
		case v < 0:
			return 0
		}
		return v
	}
	return Durations{
		Pending:     pick(d.Pending, DefaultPending),
		Deleting:    pick(d.Deleting, DefaultDeleting),
		Retention:   pick(d.Retention, DefaultRetention),
		Consistency: max(d.Consistency, 0),
	}
}

// over returns cur with the non-zero fields of d; negative fields become
// zero.
func (d Durations) over(cur Durations) Durations {
	pick := func(v, c time.Duration) time.Duration {
		switch {
		case v == 0:
			return c
		case v < 0:
			return 0
		}
		return v
	}
	return Durations{
		Pending:     pick(d.Pending, cur.Pending),
		Deleting:    pick(d.Deleting, cur.Deleting),
		Retention:   pick(d.Retention, cur.Retention),
		Consistency: pick(d.Consistency, cur.Consistency),
	}
}

type durationsJSON struct {
	Pending     string `json:"pending,omitempty"`
	Deleting    string `json:"deleting,omitempty"`
	Retention   string `json:"retention,omitempty"`
	Consistency string `json:"consistency,omitempty"`
}

// MarshalJSON writes durations as Go duration strings.
func (d Durations) MarshalJSON() ([]byte, error) {
	return json.Marshal(durationsJSON{
		Pending: d.Pending.String(), Deleting: d.Deleting.String(),
		Retention: d.Retention.String(), Consistency: d.Consistency.String(),
	})
}

// UnmarshalJSON reads durations as Go duration strings; absent fields are
// zero.
func (d *Durations) UnmarshalJSON(b []byte) error {
	var j durationsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	var out Durations
	var err error
	for _, f := range []struct {
		s   string
		dst *time.Duration
	}{{j.Pending, &out.Pending}, {j.Deleting, &out.Deleting}, {j.Retention, &out.Retention}, {j.Consistency, &out.Consistency}} {
		if *f.dst, err = parseOptionalDuration(f.s); err != nil {
			return err
		}
	}
	*d = out
	return nil
}
