// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package testcleanup registers test cleanups that call out of the process:
// to the API server, to the simulator's admin API.
//
// A test's own context, t.Context(), is cancelled before its cleanups run, so
// a cleanup that uses it does nothing and its error says only that the
// context was cancelled. Add gives a cleanup a context of its own, which
// outlives the test, and reports a failed cleanup as a test error. A test of
// this package fails when any cleanup of the module uses its test's context.
package testcleanup

import (
	"context"
	"testing"
	"time"
)

// Timeout bounds each cleanup Add registers.
const Timeout = time.Minute

// Add registers fn, which does what, as a cleanup of tb: it runs with a
// context that ends Timeout after the cleanup starts, and an error it returns
// fails tb.
func Add(tb testing.TB, what string, fn func(ctx context.Context) error) {
	tb.Helper()
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), Timeout)
		defer cancel()
		if err := fn(ctx); err != nil {
			tb.Errorf("cannot %s: %v", what, err)
		}
	})
}
