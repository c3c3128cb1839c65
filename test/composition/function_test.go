// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package composition

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/cluster/local"
)

// Labels and annotations of Crossplane's package manager.
const (
	labelPackage     = "pkg.crossplane.io/package"
	annotationPaused = "crossplane.io/paused"
)

// startFunction starts the function with mTLS: its server certificate and
// the CA that signed Crossplane's client certificate are in tlsDir. It
// listens on a free loopback port, retried when another process takes the
// port first, and serves no metrics.
func startFunction(t *testing.T, bin, tlsDir string) (*local.Process, string) {
	t.Helper()
	for range 3 {
		port, err := local.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		p := local.StartProcessForTest(t, local.ProcessOptions{
			Name: "function",
			Path: bin,
			Args: []string{"--debug", "--tls-server-certs-dir=" + tlsDir, "--address=" + addr, "--metrics-address="},
		})
		err = p.WaitReady(t.Context(), 30*time.Second, func(ctx context.Context) error {
			c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
			if err != nil {
				return err
			}
			return c.Close()
		})
		if err == nil {
			return p, addr
		}
		t.Logf("function did not listen on %s: %v", addr, err)
		_ = p.Stop()
	}
	t.Fatal("cannot start the function")
	return nil, ""
}

// applyCompositions registers the function with Crossplane for every
// functionRef of the example Compositions, then applies the example XRDs
// and Compositions and waits until the XRDs are Established and their claims
// Offered.
func (env *environment) applyCompositions(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	xrds := make([]*unstructured.Unstructured, 0, len(xrdFiles))
	comps := make([]*unstructured.Unstructured, 0, len(compositionFiles))
	for _, f := range xrdFiles {
		xrds = append(xrds, mustReadExample(t, f)...)
	}
	for _, f := range compositionFiles {
		comps = append(comps, mustReadExample(t, f)...)
	}

	fns := map[string]bool{}
	for _, c := range comps {
		steps, _, err := unstructured.NestedSlice(c.Object, "spec", "pipeline")
		if err != nil || len(steps) == 0 {
			t.Fatalf("Composition %s has no pipeline: %v", c.GetName(), err)
		}
		for _, s := range steps {
			name, _, _ := unstructured.NestedString(s.(map[string]any), "functionRef", "name")
			fns[name] = true
		}
	}
	for name := range fns {
		if err := registerFunction(ctx, env.client, name, env.functionAddr); err != nil {
			t.Fatal(err)
		}
	}

	for _, o := range append(xrds, comps...) {
		if err := env.client.Create(ctx, o); err != nil {
			t.Fatalf("cannot create %s %s: %v", o.GetKind(), o.GetName(), err)
		}
	}
	for _, x := range xrds {
		want := []string{"Established"}
		if _, ok, _ := unstructured.NestedMap(x.Object, "spec", "claimNames"); ok {
			want = append(want, "Offered")
		}
		err := local.Poll(ctx, 2*time.Minute, func(ctx context.Context) error {
			if err := env.client.Get(ctx, client.ObjectKeyFromObject(x), x); err != nil {
				return err
			}
			for _, c := range want {
				if conditionStatus(x, c) != "True" {
					return errors.Errorf("want %s=True, have conditions %v", c, conditions(x))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("CompositeResourceDefinition %s: %v", x.GetName(), err)
		}
	}
}

// registerFunction makes Crossplane call the function named name at addr:
// a FunctionRevision the package manager leaves alone (paused), labelled
// with the function's name, whose status holds the endpoint and the
// composition capability, as a package runtime would set them.
func registerFunction(ctx context.Context, cl client.Client, name, addr string) error {
	rev := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "pkg.crossplane.io/v1",
		"kind":       "FunctionRevision",
		"metadata": map[string]any{
			"name":        name + "-local",
			"labels":      map[string]any{labelPackage: name},
			"annotations": map[string]any{annotationPaused: "true"},
		},
		"spec": map[string]any{
			"desiredState":                "Active",
			"image":                       "example.invalid/" + name + ":local",
			"revision":                    int64(1),
			"ignoreCrossplaneConstraints": true,
			"skipDependencyResolution":    true,
		},
	}}
	if err := cl.Create(ctx, rev); err != nil {
		return errors.Wrapf(err, "cannot create FunctionRevision for %s", name)
	}
	patch := client.MergeFrom(rev.DeepCopy())
	if err := unstructured.SetNestedField(rev.Object, addr, "status", "endpoint"); err != nil {
		return err
	}
	if err := unstructured.SetNestedStringSlice(rev.Object, []string{"composition"}, "status", "capabilities"); err != nil {
		return err
	}
	return errors.Wrapf(cl.Status().Patch(ctx, rev, patch), "cannot set the endpoint of FunctionRevision %s", rev.GetName())
}

// conditionStatus returns the status of the condition of type t of an
// unstructured object, or "" if it has none.
func conditionStatus(u *unstructured.Unstructured, t string) string {
	return condition(u, t)["status"]
}

// condition returns the condition of type t of an unstructured object as
// strings: type, status, reason, message.
func condition(u *unstructured.Unstructured, t string) map[string]string {
	cs, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range cs {
		m, ok := c.(map[string]any)
		if !ok || m["type"] != t {
			continue
		}
		out := map[string]string{}
		for _, k := range []string{"type", "status", "reason", "message"} {
			if s, ok := m[k].(string); ok {
				out[k] = s
			}
		}
		return out
	}
	return map[string]string{}
}

// conditions summarizes the conditions of an unstructured object.
func conditions(u *unstructured.Unstructured) []string {
	cs, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		m, _ := c.(map[string]any)
		out = append(out, fmtCondition(m))
	}
	return out
}

func fmtCondition(m map[string]any) string {
	s := func(k string) string { v, _ := m[k].(string); return v }
	out := s("type") + "=" + s("status")
	if r := s("reason"); r != "" {
		out += " (" + r + ")"
	}
	if msg := s("message"); msg != "" {
		out += ": " + msg
	}
	return out
}
