// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// A stopper is something this package started and must stop: a process, a
// control plane or Crossplane.
type stopper interface {
	Stop() error
}

// live holds what this package started and has not stopped yet, oldest
// first.
//
//nolint:gochecknoglobals // StopAll and HandleSignals stop everything the process started.
var live struct {
	sync.Mutex

	all []stopper
}

func register(s stopper) {
	live.Lock()
	defer live.Unlock()
	live.all = append(live.all, s)
}

func unregister(s stopper) {
	live.Lock()
	defer live.Unlock()
	for i, o := range live.all {
		if o == s {
			live.all = append(live.all[:i], live.all[i+1:]...)
			return
		}
	}
}

// StopAll stops everything this package started and has not stopped yet,
// newest first, so Crossplane goes before the API server and the API server
// before etcd.
func StopAll() error {
	live.Lock()
	all := append([]stopper(nil), live.all...)
	live.Unlock()

	var errs []error
	for _, s := range slices.Backward(all) {
		errs = append(errs, s.Stop())
	}
	return errors.Join(errs...)
}

// HandleSignals is for long-running programs such as the demo. On the first
// SIGINT or SIGTERM it stops everything this package started (StopAll) and
// then cancels the returned context; a second signal exits at once with
// status 130. Call the returned function to restore default handling.
//
// Tests need not call it: the *ForTest helpers stop what they start, and on
// Linux children die with the test process anyway.
func HandleSignals(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)

	go func() {
		select {
		case sig := <-ch:
			_, _ = fmt.Fprintf(os.Stderr, "\nreceived %s: stopping local processes (again to exit at once)\n", sig)
			go func() {
				<-ch
				os.Exit(130)
			}()
			if err := StopAll(); err != nil {
				_, _ = fmt.Fprintf(os.Stderr, "%v\n", err)
			}
			cancel()
		case <-ctx.Done():
		}
	}()

	return ctx, func() {
		signal.Stop(ch)
		cancel()
	}
}
