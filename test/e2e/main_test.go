// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// PollInterval is the provider's --poll in this suite: how often it
// observes each managed resource in EC2.
const PollInterval = 10 * time.Second

// InventoryInterval is the provider's --nat-inventory-interval in this
// suite: how often it lists the NAT gateways of each account, which bounds
// how soon a gateway deleted out of band is noticed.
const InventoryInterval = 10 * time.Second

// durations of ec2sim's NAT gateway lifecycle: AWS takes minutes; deleted
// gateways stay listed for long enough that the provider always finds them
// deleted unless a scenario purges them.
var durations = ec2sim.Durations{Pending: 2 * time.Second, Deleting: 2 * time.Second, Retention: 30 * time.Minute}

// parallel is how many scenarios run at once unless -test.parallel is set:
// they mostly wait for EC2 and the provider, not for a CPU.
const parallel = "16"

// stk is the control plane, ec2sim and provider of the package.
var stk *stack.Stack

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		_ = flag.Set("test.parallel", parallel)
	}
	if testing.Short() {
		fmt.Fprintln(os.Stderr, "e2e: skipped in -short mode")
		return 0
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	begin := time.Now()
	s, err := stack.Start(ctx, stack.Options{
		Progress:             os.Stderr,
		Durations:            durations,
		Poll:                 PollInterval,
		NATInventoryInterval: InventoryInterval,
		Debug:                true,
		Metrics:              true,
		PodIdentity:          true,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: cannot start the stack: %v\n", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "e2e: stack ready in %s (provider --poll %s, --nat-inventory-interval %s)\n", time.Since(begin).Round(time.Second), PollInterval, InventoryInterval)
	stk = s

	code := m.Run()
	if code != 0 {
		fmt.Fprintf(os.Stderr, "e2e: failed; last lines of the logs:\n%s\n", s.Logs(60))
	}
	if err := s.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: cannot stop the stack: %v\n", err)
		return 1
	}
	return code
}
