// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

func TestWaitReady(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }))
	t.Cleanup(ok.Close)
	unready := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "[-]etcd failed", http.StatusServiceUnavailable)
	}))
	t.Cleanup(unready.Close)
	sh := lookPath(t, "sh")

	cases := map[string]struct {
		reason  string
		script  string
		probe   Probe
		wantErr []string // substrings; none means success
	}{
		"Ready": {
			reason: "A running process whose probe passes is ready.",
			script: "sleep 300",
			probe:  HTTPProbe(nil, ok.URL),
		},
		"Exited": {
			reason:  "A process that exits is reported with its status and the end of its log.",
			script:  "echo cannot bind port; exit 2",
			probe:   HTTPProbe(nil, unready.URL),
			wantErr: []string{"exited (exit status 2)", "cannot bind port"},
		},
		"ExitedWhileProbePasses": {
			reason:  "A probe answered by someone else does not make a dead process ready.",
			script:  "exit 1",
			probe:   func(context.Context) error { time.Sleep(100 * time.Millisecond); return nil },
			wantErr: []string{"exited (exit status 1)"},
		},
		"NeverReady": {
			reason:  "A probe that keeps failing gives up at the timeout, quoting the last failure.",
			script:  "echo starting; sleep 300",
			probe:   HTTPProbe(nil, unready.URL+"/readyz"),
			wantErr: []string{"not ready after", "503 Service Unavailable: [-]etcd failed", "starting"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := StartProcessForTest(t, ProcessOptions{Name: "subject", Path: sh, Args: []string{"-c", tc.script}})
			err := p.WaitReady(t.Context(), time.Second, tc.probe)
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Errorf("%s\nWaitReady(): %v", tc.reason, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("%s\nWaitReady(): want error, got none", tc.reason)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%s\nWaitReady() error %q does not contain %q", tc.reason, err, want)
				}
			}
		})
	}
}

func TestPoll(t *testing.T) {
	calls := 0
	err := Poll(t.Context(), 5*time.Second, func(context.Context) error {
		calls++
		if calls < 3 {
			return errors.New("not yet")
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Errorf("Poll(): want success on the third call, got %v after %d calls", err, calls)
	}

	err = Poll(t.Context(), 200*time.Millisecond, func(context.Context) error { return errors.New("never") })
	if err == nil || !strings.Contains(err.Error(), "never") {
		t.Errorf("Poll(): want the last error at the timeout, got %v", err)
	}
}
