// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package stack

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// EC2SimOptions configure an ec2sim process.
type EC2SimOptions struct {
	// Binary is the ec2sim command. Required.
	Binary string

	// Durations of the NAT gateway lifecycle; zero fields keep ec2sim's
	// defaults (pending 1s, deleting 1s, retention 10s).
	Durations ec2sim.Durations

	// SecretKey, when set, makes ec2sim verify every request's SigV4
	// signature with it, as EC2 does.
	SecretKey string

	// Args are further ec2sim flags.
	Args []string

	// LogDir holds ec2sim.log.
	LogDir string
}

// An EC2Sim is an ec2sim process serving on a loopback port.
type EC2Sim struct {
	// Process is the ec2sim process.
	Process *local.Process
	// URL is the EC2 endpoint, e.g. http://127.0.0.1:38021.
	URL string
	// Admin drives the simulator out of band.
	Admin *ec2sim.AdminClient
}

// args returns the command line of o on port.
func (o EC2SimOptions) args(port int) []string {
	args := []string{fmt.Sprintf("--listen=127.0.0.1:%d", port)}
	d := o.Durations
	for _, f := range []struct {
		flag string
		v    time.Duration
	}{{"pending", d.Pending}, {"deleting", d.Deleting}, {"retention", d.Retention}, {"consistency", d.Consistency}} {
		if f.v != 0 {
			args = append(args, fmt.Sprintf("--%s=%s", f.flag, f.v))
		}
	}
	if o.SecretKey != "" {
		args = append(args, "--secret="+o.SecretKey)
	}
	return append(args, o.Args...)
}

// StartEC2Sim starts ec2sim on a free loopback port and waits until its
// admin API answers. It tries new ports when another process took the
// port first.
func StartEC2Sim(ctx context.Context, o EC2SimOptions) (*EC2Sim, error) {
	const attempts = 3
	for attempt := 1; ; attempt++ {
		port, err := local.FreePort()
		if err != nil {
			return nil, err
		}
		p, err := local.StartProcess(local.ProcessOptions{Name: "ec2sim", Path: o.Binary, Args: o.args(port), LogDir: o.LogDir})
		if err != nil {
			return nil, err
		}
		url := fmt.Sprintf("http://127.0.0.1:%d", port)
		err = p.WaitReady(ctx, time.Minute, local.HTTPProbe(nil, url+ec2sim.PathHealth))
		if err == nil {
			return &EC2Sim{Process: p, URL: url, Admin: ec2sim.NewAdminClient(url)}, nil
		}
		_ = p.Kill()
		if attempt < attempts && strings.Contains(p.Tail(5), "address already in use") {
			continue
		}
		return nil, errors.Wrap(err, "cannot start ec2sim")
	}
}
