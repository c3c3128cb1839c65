// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package render

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files with the rendered output")

// An example is one composite resource rendered with a Composition.
type example struct {
	xr          string
	composition string
	xrd         string
	observed    string
}

func TestRender(t *testing.T) {
	env := setup(t)
	ns := example{composition: "examples/function/composition.yaml", xrd: "examples/function/xrd.yaml"}

	cases := map[string]struct {
		reason  string
		example example
		golden  string
		// wantErr is part of the error that render prints for an invalid
		// example, which has no golden file.
		wantErr string
	}{
		"XEgress": {
			reason:  "The example XEgress with nothing observed yet: an ElasticIP, a NATGateway and routes per zone, not ready.",
			example: with(ns, example{xr: "examples/function/xr.yaml"}),
			golden:  "xegress.golden.yaml",
		},
		"XEgressObserved": {
			reason:  "The example XEgress with every gateway available and every route active: ready, with each zone's egress in status.",
			example: with(ns, example{xr: "examples/function/xr.yaml", observed: "examples/function/observed.yaml"}),
			golden:  "xegress-observed.golden.yaml",
		},
		"XEgressFailover": {
			reason:  "While zone us-east-1b's gateway is pending after it was recreated, its route uses the gateway of us-east-1c and the XR reports the zone degraded.",
			example: with(ns, example{xr: "examples/function/xr.yaml", observed: "test/render/testdata/observed-failover.yaml"}),
			golden:  "xegress-failover.golden.yaml",
		},
		"Claim": {
			reason: "The XClusterEgress behind the example claim: its resources go to the claim's namespace; zone us-east-1b uses its own address.",
			example: example{
				xr:          "test/render/testdata/xr-claim.yaml",
				composition: "examples/function/composition-legacy.yaml",
				xrd:         "examples/function/xrd-legacy.yaml",
			},
			golden: "claim.golden.yaml",
		},
		"Single": {
			reason:  "One gateway in the chosen zone for every zone's routes.",
			example: with(ns, example{xr: "test/render/testdata/xr-single.yaml"}),
			golden:  "single.golden.yaml",
		},
		"Regional": {
			reason:  "One regional gateway with an address per zone; the NATGateway must pass the CRD's regional rules.",
			example: with(ns, example{xr: "test/render/testdata/xr-regional.yaml"}),
			golden:  "regional.golden.yaml",
		},
		"Private": {
			reason:  "Private gateways without ElasticIPs; the NATGateways must pass the CRD's private rules.",
			example: with(ns, example{xr: "test/render/testdata/xr-private.yaml"}),
			golden:  "private.golden.yaml",
		},
		"Invalid": {
			reason:  "Route tables in a zone without a public subnet should fail the render with a message naming the problem.",
			example: with(ns, example{xr: "test/render/testdata/xr-invalid.yaml"}),
			wantErr: "cannot use composite resource spec: zone us-east-1c has route tables but no public subnet: topology PerAZ places gateways in public subnets",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, stderr, err := env.render(tc.example)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(stderr, tc.wantErr) {
					t.Errorf("\n%s\ncrossplane render: want an error containing %q, got %v:\n%s", tc.reason, tc.wantErr, err, stderr)
				}
				return
			}
			if err != nil {
				t.Fatalf("\n%s\ncrossplane render: %v\n%s", tc.reason, err, stderr)
			}
			golden := filepath.Join(env.root, "test", "render", "testdata", tc.golden)
			if *update {
				if err := os.WriteFile(golden, out, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("cannot read golden file (run with -update to write it): %v", err)
			}
			if diff := cmp.Diff(string(want), string(out)); diff != "" {
				t.Errorf("\n%s\ncrossplane render: -want %s, +got:\n%s", tc.reason, tc.golden, diff)
			}
			if report, err := env.validate(t, tc.example, out); err != nil {
				t.Errorf("\n%s\ncrossplane beta validate: %v\n%s", tc.reason, err, report)
			}
		})
	}
}

// with fills the empty fields of e from base.
func with(base, e example) example {
	if e.composition == "" {
		e.composition = base.composition
	}
	if e.xrd == "" {
		e.xrd = base.xrd
	}
	return e
}

// An environment holds what rendering needs: the repository, crank, the
// running function and the validation cache.
type environment struct {
	root     string
	crank    string
	function string
	cache    string
	image    string
}

// render runs `crossplane render` on an example against the running
// function, including the full XR and the function's results.
func (env environment) render(e example) ([]byte, string, error) {
	args := []string{"render", e.xr, e.composition, "examples/function/functions.yaml",
		"--xrd=" + e.xrd, "--include-full-xr", "--include-function-results",
		"--function-annotations=render.crossplane.io/runtime-development-target=" + env.function}
	if e.observed != "" {
		args = append(args, "--observed-resources="+e.observed)
	}
	return env.run(args...)
}

// validate checks the rendered resources, all but the function's results,
// against the provider's CRDs and the example's XRD.
func (env environment) validate(t *testing.T, e example, rendered []byte) (string, error) {
	t.Helper()
	var docs []string
	for d := range strings.SplitSeq(string(rendered), "\n---\n") {
		if !strings.Contains(d, "\nkind: Result\n") {
			docs = append(docs, d)
		}
	}
	file := filepath.Join(t.TempDir(), "rendered.yaml")
	if err := os.WriteFile(file, []byte(strings.Join(docs, "\n---\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := env.run("beta", "validate", "package/provider/crds,"+e.xrd, file,
		"--cache-dir="+env.cache, "--crossplane-image="+env.image, "--error-on-missing-schemas")
	if err != nil {
		return string(out) + stderr, err
	}
	if want := "0 failure cases"; !strings.Contains(string(out), want) {
		return string(out) + stderr, os.ErrInvalid
	}
	return string(out), nil
}

func (env environment) run(args ...string) ([]byte, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, env.crank, args...)
	cmd.Dir = env.root
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	return stdout.Bytes(), stderr.String(), err
}
