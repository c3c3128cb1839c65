// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// A Probe returns nil once what it checks is ready.
type Probe func(ctx context.Context) error

// HTTPProbe returns a probe that wants status 200 from a GET of url. A nil
// client means http.DefaultClient.
func HTTPProbe(c *http.Client, url string) Probe {
	if c == nil {
		c = http.DefaultClient
	}
	return func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return errors.Wrapf(err, "cannot build request for %s", url)
		}
		rsp, err := c.Do(req)
		if err != nil {
			return err
		}
		defer rsp.Body.Close() //nolint:errcheck // read only
		body, _ := io.ReadAll(io.LimitReader(rsp.Body, 4<<10))
		if rsp.StatusCode != http.StatusOK {
			return errors.Errorf("GET %s: %s: %s", url, rsp.Status, strings.TrimSpace(string(body)))
		}
		return nil
	}
}

// WaitReady polls probe until it returns nil. It fails when the process
// exits, quoting the end of its log, or when timeout passes or ctx ends,
// quoting the last probe error.
func (p *Process) WaitReady(ctx context.Context, timeout time.Duration, probe Probe) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	interval := 50 * time.Millisecond
	for {
		if !p.Running() {
			return p.exitError()
		}
		err := probe(ctx)
		if err == nil && p.Running() {
			return nil
		}
		select {
		case <-p.done:
			return p.exitError()
		case <-ctx.Done():
			return errors.Errorf("%s not ready after %s: %v; last lines of %s:\n%s",
				p.opts.Name, time.Since(p.started).Round(time.Millisecond), err, p.logPath, p.Tail(tailLines))
		case <-time.After(interval):
		}
		interval = min(2*interval, 500*time.Millisecond)
	}
}

// Poll calls check until it returns nil or timeout passes or ctx ends, and
// returns the last error then. Use it to wait for API state.
func Poll(ctx context.Context, timeout time.Duration, check func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	interval := 50 * time.Millisecond
	for {
		err := check(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.Wrapf(err, "still not done after %s", timeout)
		case <-time.After(interval):
		}
		interval = min(2*interval, 500*time.Millisecond)
	}
}
