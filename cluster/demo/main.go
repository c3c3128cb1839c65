// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Command demo tells egresskit's story on one machine: it starts a local
// control plane, the EC2 simulator and the provider, applies a
// ProviderConfig and a NATGateway from the examples, deletes the gateway out
// of band as a person would in the AWS console, and shows the provider
// notice and recreate it, with a timeline. It cleans up and exits 0. Run it
// with `make demo`.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/egresskit/provider-aws-egress/cluster/local"
)

func main() {
	ctx, stop := local.HandleSignals(context.Background())
	err := run(ctx, os.Stdout, defaultConfig())
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "demo failed: %v\n", err)
		os.Exit(1)
	}
}
