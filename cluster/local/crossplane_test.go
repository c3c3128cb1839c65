// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"context"
	"slices"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

const xrdWidgets = `apiVersion: apiextensions.crossplane.io/v2
kind: CompositeResourceDefinition
metadata:
  name: xwidgets.example.egresskit.io
spec:
  group: example.egresskit.io
  names: {kind: XWidget, plural: xwidgets}
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    referenceable: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: string}
`

func TestCrossplane(t *testing.T) {
	begin := time.Now()
	cp := StartForTest(t, Options{})
	x := StartCrossplaneForTest(t, cp, CrossplaneOptions{})
	t.Logf("control plane and Crossplane core started in %s", since(begin))

	ctx := t.Context()
	cl, err := cp.Client()
	if err != nil {
		t.Fatal(err)
	}

	for _, want := range []string{
		"compositeresourcedefinitions.apiextensions.crossplane.io",
		"compositions.apiextensions.crossplane.io",
		"functionrevisions.pkg.crossplane.io",
	} {
		if !slices.Contains(x.CRDs, want) {
			t.Errorf("Crossplane CRDs %v lack %s", x.CRDs, want)
		}
	}
	if err := WaitForCRDs(ctx, cl, 10*time.Second, x.CRDs...); err != nil {
		t.Errorf("Crossplane CRDs: %v", err)
	}
	if err := x.Healthy(ctx); err != nil {
		t.Errorf("Crossplane core not healthy: %v", err)
	}

	// Core's definition controller must establish an XRD and serve its XR.
	xrd := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(xrdWidgets), &xrd.Object); err != nil {
		t.Fatal(err)
	}
	begin = time.Now()
	if err := cl.Create(ctx, xrd); err != nil {
		t.Fatalf("cannot create XRD: %v", err)
	}
	err = Poll(ctx, 2*time.Minute, func(ctx context.Context) error {
		got := xrd.DeepCopy()
		if err := cl.Get(ctx, client.ObjectKeyFromObject(xrd), got); err != nil {
			return err
		}
		conds, _, _ := unstructured.NestedSlice(got.Object, "status", "conditions")
		for _, c := range conds {
			m, _ := c.(map[string]any)
			if m["type"] == "Established" && m["status"] == "True" {
				return nil
			}
		}
		return errors.Errorf("XRD not Established; conditions: %v", conds)
	})
	if err != nil {
		t.Fatalf("Crossplane did not establish the XRD: %v", err)
	}
	if err := WaitForCRDs(ctx, cl, time.Minute, "xwidgets.example.egresskit.io"); err != nil {
		t.Fatalf("XR CRD: %v", err)
	}
	t.Logf("XRD Established by Crossplane core in %s", since(begin))

	if err := x.Healthy(ctx); err != nil {
		t.Errorf("Crossplane core not healthy after reconciling: %v", err)
	}
	pid := x.Process.Pid()
	if err := x.Stop(); err != nil {
		t.Fatalf("Stop(): %v", err)
	}
	if alive(pid) {
		t.Errorf("crossplane (pid %d) still running after Stop", pid)
	}
}
