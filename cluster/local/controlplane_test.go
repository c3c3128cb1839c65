// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// These tests run the real control plane. On a machine without the tools
// cache the first of them builds it, which takes minutes on 2 cores.

func TestControlPlane(t *testing.T) {
	begin := time.Now()
	cp := StartForTest(t, Options{ControllerManager: true})
	t.Logf("etcd, kube-apiserver and kube-controller-manager started in %s", since(begin))

	ctx := t.Context()
	cl, err := cp.Client()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("ServerVersion", func(t *testing.T) {
		dc, err := discovery.NewDiscoveryClientForConfig(cp.Config)
		if err != nil {
			t.Fatal(err)
		}
		v, err := dc.ServerVersion()
		if err != nil {
			t.Fatal(err)
		}
		got := []string{v.GitVersion, v.Major, v.Minor}
		if diff := cmp.Diff([]string{"v1.35.4", "1", "35"}, got); diff != "" {
			t.Errorf("server version (gitVersion, major, minor): -want, +got:\n%s", diff)
		}
	})

	t.Run("Kubeconfig", func(t *testing.T) {
		cfg, err := clientcmd.BuildConfigFromFlags("", cp.Kubeconfig)
		if err != nil {
			t.Fatal(err)
		}
		kc, err := client.New(cfg, client.Options{Scheme: cl.Scheme()})
		if err != nil {
			t.Fatal(err)
		}
		ns := &corev1.Namespace{}
		if err := kc.Get(ctx, types.NamespacedName{Name: "default"}, ns); err != nil {
			t.Errorf("get namespace default through %s: %v", cp.Kubeconfig, err)
		}
	})

	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "egresskit-test"}}
	if err := cl.Create(ctx, ns); err != nil {
		t.Fatalf("cannot create namespace: %v", err)
	}

	t.Run("CustomResource", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "widgets.yaml"), []byte(crdWidgets), 0o600); err != nil {
			t.Fatal(err)
		}
		names, err := InstallCRDs(ctx, cl, time.Minute, dir)
		if err != nil {
			t.Fatalf("InstallCRDs: %v", err)
		}
		if diff := cmp.Diff([]string{"widgets.example.egresskit.io"}, names); diff != "" {
			t.Errorf("InstallCRDs: -want, +got:\n%s", diff)
		}
		// Installing again updates in place.
		if _, err := InstallCRDs(ctx, cl, time.Minute, dir); err != nil {
			t.Fatalf("InstallCRDs again: %v", err)
		}

		w := &unstructured.Unstructured{}
		w.SetAPIVersion("example.egresskit.io/v1")
		w.SetKind("Widget")
		w.SetNamespace(ns.Name)
		w.SetName("w")
		if err := unstructured.SetNestedField(w.Object, "large", "spec", "size"); err != nil {
			t.Fatal(err)
		}
		if err := cl.Create(ctx, w); err != nil {
			t.Fatalf("cannot create a Widget: %v", err)
		}
		got := &unstructured.Unstructured{}
		got.SetGroupVersionKind(w.GroupVersionKind())
		if err := cl.Get(ctx, client.ObjectKeyFromObject(w), got); err != nil {
			t.Fatal(err)
		}
		size, _, _ := unstructured.NestedString(got.Object, "spec", "size")
		if diff := cmp.Diff("large", size); diff != "" {
			t.Errorf("Widget spec.size: -want, +got:\n%s", diff)
		}
	})

	t.Run("GarbageCollection", func(t *testing.T) {
		owner := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns.Name, Name: "owner"}}
		if err := cl.Create(ctx, owner); err != nil {
			t.Fatal(err)
		}
		owned := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{
			Namespace:       ns.Name,
			Name:            "owned",
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "v1", Kind: "ConfigMap", Name: owner.Name, UID: owner.UID}},
		}}
		if err := cl.Create(ctx, owned); err != nil {
			t.Fatal(err)
		}
		begin := time.Now()
		if err := cl.Delete(ctx, owner, client.PropagationPolicy(metav1.DeletePropagationBackground)); err != nil {
			t.Fatal(err)
		}
		if err := Poll(ctx, 90*time.Second, gone(cl, owned)); err != nil {
			t.Fatalf("owned ConfigMap not collected: %v", err)
		}
		t.Logf("owned ConfigMap collected %s after its owner was deleted", since(begin))
	})

	t.Run("NamespaceDeletion", func(t *testing.T) {
		begin := time.Now()
		if err := cl.Delete(ctx, ns); err != nil {
			t.Fatal(err)
		}
		if err := Poll(ctx, 90*time.Second, gone(cl, ns)); err != nil {
			t.Fatalf("namespace not finalized: %v", err)
		}
		t.Logf("namespace with a Widget finalized in %s", since(begin))
	})

	t.Run("Stop", func(t *testing.T) {
		procs := cp.Processes()
		if len(procs) != 3 {
			t.Fatalf("want 3 processes, got %d", len(procs))
		}
		urls := []string{cp.EtcdURL, cp.APIServerURL, cp.ControllerManagerURL}
		ports := make([]int, 0, len(urls))
		for _, u := range urls {
			ports = append(ports, port(t, u))
		}

		begin := time.Now()
		if err := cp.Stop(); err != nil {
			t.Fatalf("Stop(): %v", err)
		}
		t.Logf("control plane stopped in %s", since(begin))

		for _, p := range procs {
			if alive(p.Pid()) {
				t.Errorf("%s (pid %d) still running after Stop", p.Name(), p.Pid())
			}
		}
		for _, p := range ports {
			l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err != nil {
				t.Errorf("port %d still taken after Stop: %v", p, err)
				continue
			}
			_ = l.Close()
		}
		if _, err := os.Stat(cp.Dir); !os.IsNotExist(err) {
			t.Errorf("control plane directory %s not removed: %v", cp.Dir, err)
		}
		if err := cp.Stop(); err != nil {
			t.Errorf("second Stop(): %v", err)
		}
	})
}

// gone returns a check that passes once obj no longer exists.
func gone(cl client.Client, obj client.Object) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		err := cl.Get(ctx, client.ObjectKeyFromObject(obj), obj)
		if kerrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return errors.Errorf("%s still exists", obj.GetName())
	}
}

func port(t *testing.T, raw string) int {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	var p int
	if _, err := fmt.Sscanf(u.Port(), "%d", &p); err != nil {
		t.Fatalf("no port in %s", raw)
	}
	return p
}
