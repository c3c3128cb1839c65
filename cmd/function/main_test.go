// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"os"
	"testing"

	"github.com/alecthomas/kong"
	"github.com/google/go-cmp/cmp"
)

func TestCLI(t *testing.T) {
	cases := map[string]struct {
		reason string
		args   []string
		env    map[string]string
		want   CLI
	}{
		"Defaults": {
			reason: "The defaults should match function-template-go's, with metrics on :8080.",
			want:   CLI{Network: "tcp", Address: ":9443", MaxRecvMessageSize: 4, MetricsAddress: ":8080"},
		},
		"Local": {
			reason: "A local run should serve insecurely on a chosen address with the metrics server off.",
			args:   []string{"--debug", "--insecure", "--address=127.0.0.1:9444", "--metrics-address="},
			want:   CLI{Debug: true, Insecure: true, Network: "tcp", Address: "127.0.0.1:9444", MaxRecvMessageSize: 4},
		},
		"CertsFromEnvironment": {
			reason: "The server certificates directory should come from TLS_SERVER_CERTS_DIR.",
			env:    map[string]string{"TLS_SERVER_CERTS_DIR": "/tls/server"},
			want:   CLI{Network: "tcp", Address: ":9443", TLSServerCertsDir: "/tls/server", MaxRecvMessageSize: 4, MetricsAddress: ":8080"},
		},
		"CertsAlias": {
			reason: "--tls-certs-dir should be accepted for --tls-server-certs-dir.",
			args:   []string{"--tls-certs-dir=/tls/fn"},
			want:   CLI{Network: "tcp", Address: ":9443", TLSServerCertsDir: "/tls/fn", MaxRecvMessageSize: 4, MetricsAddress: ":8080"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for _, k := range []string{"TLS_SERVER_CERTS_DIR", "METRICS_ADDRESS"} {
				t.Setenv(k, "") // restored after the test
				if err := os.Unsetenv(k); err != nil {
					t.Fatal(err)
				}
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			got := CLI{}
			p, err := kong.New(&got)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.Parse(tc.args); err != nil {
				t.Fatalf("\n%s\nParse(%v): %v", tc.reason, tc.args, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\nParse(%v): -want, +got:\n%s", tc.reason, tc.args, diff)
			}
		})
	}
}

func TestRunWithoutCredentials(t *testing.T) {
	c := &CLI{Network: "tcp", Address: "127.0.0.1:0", MaxRecvMessageSize: 4}
	err := c.Run()
	want := "cannot serve the function: no credentials provided - did you specify the Insecure or MTLSCertificates options?"
	if err == nil || err.Error() != want {
		t.Errorf("Run(): want error %q, got %v", want, err)
	}
}
