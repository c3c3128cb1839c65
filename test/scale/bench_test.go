// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package scale

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// The benchmark's flags; their defaults are the small version make test runs.
var (
	flagN      = flag.String("n", "20", "comma-separated numbers of NATGateways, one run per number and mode")
	flagModes  = flag.String("modes", modeDefaults+","+modePerResource, "comma-separated provider modes: "+modeDefaults+", "+modePerResource)
	flagCreate = flag.Int("create", 4, "NATGateways of each run that are created; the rest are imported by external name")
	flagSteady = flag.Duration("steady", 15*time.Second, "how long the steady state is measured")
	flagDelete = flag.Int("delete", 2, "gateways deleted out of band at least, or 1% of them if more")
	flagBin    = flag.String("bin", "", "directory holding prebuilt provider and ec2sim binaries; empty builds them")
	flagHeap   = flag.String("heap-profiles", "", "directory to write the provider's heap profile of each run to, at the end of its steady state; empty writes none")
)

// Provider modes.
const (
	// modeDefaults runs the provider with its defaults.
	modeDefaults = "defaults"
	// modePerResource turns the NAT inventory off and polls every resource
	// every minute, as providers without an inventory do.
	modePerResource = "per-resource"
)

// modeArgs are the provider flags of each mode.
var modeArgs = map[string][]string{
	modeDefaults:    nil,
	modePerResource: {"--nat-inventory-interval=0", "--poll=1m"},
}

// durations of ec2sim's NAT gateway lifecycle, stated in the report: AWS
// takes minutes, and keeps deleted gateways listed for about an hour.
var durations = ec2sim.Durations{Pending: 2 * time.Second, Deleting: 2 * time.Second, Retention: time.Hour}

// deleteSpacing is the time between two out-of-band deletions.
const deleteSpacing = 2 * time.Second

// TestBenchE2E runs the benchmark for each number of NATGateways and each
// mode, and prints the table of what it measured. It fails when a run does
// not reach its end state: every gateway Ready, every deleted gateway
// replaced.
func TestBenchE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane, ec2sim and the provider")
	}
	ns, err := parseNs(*flagN)
	if err != nil {
		t.Fatal(err)
	}
	modes := strings.Split(*flagModes, ",")
	for _, m := range modes {
		if _, ok := modeArgs[m]; !ok {
			t.Fatalf("-modes: unknown mode %q", m)
		}
	}
	bin := stack.Binaries{Provider: filepath.Join(*flagBin, "provider"), EC2Sim: filepath.Join(*flagBin, "ec2sim")}
	if *flagBin == "" {
		if bin, err = stack.Build(t.Context(), t.TempDir(), local.TestLog(t)); err != nil {
			t.Fatal(err)
		}
	}

	var results []result
	for _, n := range ns {
		for _, m := range modes {
			c := config{n: n, mode: m, create: min(*flagCreate, n), deletes: max(*flagDelete, n/100), steady: *flagSteady}
			t.Run(fmt.Sprintf("N=%d/%s", n, m), func(t *testing.T) {
				r := runBench(t, bin, c)
				results = append(results, r)
				fmt.Fprintln(os.Stdout, r.line())
			})
		}
	}
	fmt.Fprintf(os.Stdout, "\nec2sim: pending %s, deleting %s; EC2's token buckets; provider budget 0.5 of each\n\n", durations.Pending, durations.Deleting)
	fmt.Fprint(os.Stdout, table(results))
}

// parseNs parses the -n flag.
func parseNs(s string) ([]int, error) {
	var ns []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 2 {
			return nil, fmt.Errorf("-n: %q is not a number of NATGateways of at least 2", f)
		}
		ns = append(ns, n)
	}
	return ns, nil
}
