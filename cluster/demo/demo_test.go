// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// milestones are the lines of the timeline, in order.
var milestones = []string{
	"deleted out of band",
	"EC2 reports it deleted",
	"provider detected it",
	"provider recreated it",
	"available, Ready again",
}

// timelineLine is a line of the timeline with a time: clock, offset, what.
var timelineLine = regexp.MustCompile(`^\s+\d\d:\d\d:\d\d\.\d\s+\+\s*([0-9.]+)s\s+(.+?)\s{2,}`)

// TestRun runs the whole demo, with ec2sim's lifecycle and the provider's
// poll shorter than make demo's, and checks the story it tells.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo starts a control plane")
	}
	cfg := config{
		durations: ec2sim.Durations{Pending: time.Second, Deleting: time.Second, Retention: time.Minute},
		poll:      5 * time.Second,
		inventory: 5 * time.Second,
		timeout:   2 * time.Minute,
	}
	var out bytes.Buffer
	err := run(t.Context(), &out, cfg)
	t.Logf("demo output:\n%s", out.String())
	if err != nil {
		t.Fatalf("run: %v", err)
	}

	var got []string
	offsets := map[string]float64{}
	for line := range strings.SplitSeq(out.String(), "\n") {
		m := timelineLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		off, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			t.Fatalf("offset of %q: %v", line, err)
		}
		got = append(got, m[2])
		offsets[m[2]] = off
	}
	if diff := cmp.Diff(milestones, got); diff != "" {
		t.Fatalf("timeline milestones: -want +got:\n%s", diff)
	}
	for i := 1; i < len(milestones); i++ {
		if offsets[milestones[i]] < offsets[milestones[i-1]] {
			t.Errorf("%q at +%.1fs comes before %q at +%.1fs", milestones[i], offsets[milestones[i]], milestones[i-1], offsets[milestones[i-1]])
		}
	}
	// Detected within one inventory listing of EC2 reporting the gateway
	// deleted, with two seconds for the work around it.
	if late := offsets["provider detected it"] - offsets["EC2 reports it deleted"]; late > (cfg.inventory + 2*time.Second).Seconds() {
		t.Errorf("detected %.1fs after EC2 reported the gateway deleted, want within the inventory interval %s", late, cfg.inventory)
	}
	for _, want := range []string{
		"event Warning GatewayDeleted",
		"event Normal Recreated",
		"status.atProvider.healing: recreations 1",
		"NATGateway gone; EC2 reports",
		"==> Done",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demo did not say %q", want)
		}
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`egresskit_natgateway_recreations_total\{reason="deleted"\}\s+1\.0\s`),
		regexp.MustCompile(`egresskit_natgateway_healing_available_seconds_sum\{reason="deleted"\}\s+[1-9]`),
		regexp.MustCompile(`alert ` + alertReplaced + `\s+firing`),
		regexp.MustCompile(`alert ` + alertNotReady + `\s+inactive`),
	} {
		if !want.MatchString(out.String()) {
			t.Errorf("the demo did not print the healing as Prometheus saw it: no line matches %s", want)
		}
	}
}
