// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"sync"
	"time"
)

// A clock is the simulated clock that drives lifecycles, retention, drains,
// eventual consistency and throttle refills. It runs at an adjustable speed
// relative to the wall clock and can be moved forward. The HTTP Date header
// always carries the wall clock, so SDK clock-skew correction never kicks in.
type clock struct {
	mu       sync.Mutex
	wall     func() time.Time
	base     time.Time // simulated time at wallBase
	wallBase time.Time
	speed    float64
}

func newClock(wall func() time.Time, speed float64) *clock {
	now := wall()
	return &clock{wall: wall, base: now, wallBase: now, speed: speed}
}

// Now returns the simulated time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *clock) nowLocked() time.Time {
	elapsed := c.wall().Sub(c.wallBase)
	return c.base.Add(time.Duration(float64(elapsed) * c.speed))
}

// Wall returns the wall-clock time at which the simulated clock showed t,
// as far as its current speed and base tell.
func (c *clock) Wall(t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wallBase.Add(time.Duration(float64(t.Sub(c.base)) / c.speed))
}

// SetSpeed changes how many simulated seconds pass per wall-clock second.
func (c *clock) SetSpeed(speed float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base = c.nowLocked()
	c.wallBase = c.wall()
	c.speed = speed
}

// Speed returns the current speed.
func (c *clock) Speed() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.speed
}

// Advance moves the simulated time forward by d.
func (c *clock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base = c.base.Add(d)
}

// wallOf returns the wall-clock time at which the simulated clock, running
// at its current speed, reaches t.
func (c *clock) wallOf(t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := c.wall()
	elapsed := c.base.Add(time.Duration(float64(wall.Sub(c.wallBase)) * c.speed))
	return wall.Add(time.Duration(float64(t.Sub(elapsed)) / c.speed))
}
