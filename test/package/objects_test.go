// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package pkgtest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// errNotYet says what a poll still waits for.
func errNotYet(what string) error { return errors.New("waiting for " + what) }

// errStopped says a process exited.
func errStopped(p *local.Process) error {
	return errors.Errorf("%s exited: %v; last lines of its log:\n%s", p.Name(), p.Wait(), p.Tail(20))
}

// readOne reads the one typed object of an example file.
func (env *environment) readOne(t *testing.T, path string) client.Object {
	t.Helper()
	objs, err := stack.ReadObjects(env.scheme, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 1 {
		t.Fatalf("%s holds %d objects, want 1", path, len(objs))
	}
	return objs[0]
}

// readUnstructured reads the one object of an example file of a kind no
// scheme knows, such as an XR.
func readUnstructured(t *testing.T, path string) *unstructured.Unstructured {
	t.Helper()
	root, err := local.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{}
	if err := yaml.Unmarshal(data, &u.Object); err != nil {
		t.Fatalf("cannot decode %s: %v", path, err)
	}
	return u
}

// conditioned is an object with Crossplane conditions.
type conditioned interface {
	client.Object
	GetCondition(ct xpv2.ConditionType) xpv2.Condition
}

// wantConditions returns nil when o has every condition type=True, else an
// error listing what it has.
func wantConditions(o conditioned, types ...xpv2.ConditionType) error {
	var missing []string
	for _, ct := range types {
		if c := o.GetCondition(ct); c.Status != "True" {
			missing = append(missing, string(ct)+"="+string(c.Status)+" ("+string(c.Reason)+") "+c.Message)
		}
	}
	if len(missing) > 0 {
		return errors.Errorf("%s %s: want %v True, have %s", stack.Kind(o), o.GetName(), types, strings.Join(missing, "; "))
	}
	return nil
}

// waitFor polls o until check passes.
func (env *environment) waitFor(t *testing.T, o client.Object, timeout time.Duration, check func() error) {
	t.Helper()
	err := local.Poll(t.Context(), timeout, func(ctx context.Context) error {
		if err := env.client.Get(ctx, client.ObjectKeyFromObject(o), o); err != nil {
			return err
		}
		return check()
	})
	if err != nil {
		t.Fatalf("%s %s: %v", stack.Kind(o), o.GetName(), err)
	}
}

// unstructuredReady wants an unstructured object Synced and Ready.
func unstructuredReady(u *unstructured.Unstructured) error {
	cs, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	have := map[string]string{}
	for _, c := range cs {
		m, _ := c.(map[string]any)
		ty, _ := m["type"].(string)
		st, _ := m["status"].(string)
		msg, _ := m["message"].(string)
		have[ty] = st
		if st != "True" && msg != "" {
			have[ty] = st + ": " + msg
		}
	}
	if have["Synced"] != "True" || have["Ready"] != "True" {
		return errors.Errorf("%s %s: want Synced and Ready True, have %v", u.GetKind(), u.GetName(), have)
	}
	return nil
}
