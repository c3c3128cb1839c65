// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package config

import (
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	ctrlconfig "sigs.k8s.io/controller-runtime/pkg/config"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/egresskit/provider-aws-egress/apis"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

// newManager returns a manager that never reaches an API server: setting up
// controllers needs only its scheme.
func newManager(t *testing.T, addToScheme ...func(*runtime.Scheme) error) ctrl.Manager {
	t.Helper()
	s := runtime.NewScheme()
	for _, add := range append([]func(*runtime.Scheme) error{clientgoscheme.AddToScheme}, addToScheme...) {
		if err := add(s); err != nil {
			t.Fatal(err)
		}
	}
	mgr, err := ctrl.NewManager(&rest.Config{Host: "https://127.0.0.1:1"}, ctrl.Options{
		Scheme:                 s,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Controller:             ctrlconfig.Controller{SkipNameValidation: ptr.To(true)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return mgr
}

// onlyProviderConfigs adds the configuration kinds to a scheme, but not the
// usage.
func onlyProviderConfigs(s *runtime.Scheme) error {
	s.AddKnownTypes(apisv1alpha1.SchemeGroupVersion, &apisv1alpha1.ProviderConfig{}, &apisv1alpha1.ClusterProviderConfig{})
	return nil
}

// gate is a fake controller.Gate that records registrations.
type gate struct {
	mu       sync.Mutex
	gvks     [][]schema.GroupVersionKind
	callback func()
}

func (g *gate) Register(fn func(), gvks ...schema.GroupVersionKind) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gvks = append(g.gvks, gvks)
	g.callback = fn
}

func (g *gate) Set(_ schema.GroupVersionKind, _ bool) bool { return false }

func TestKinds(t *testing.T) {
	type want struct {
		name  string
		kinds resource.ProviderConfigKinds
	}
	usage := apisv1alpha1.ProviderConfigUsageGroupVersionKind
	usageList := apisv1alpha1.ProviderConfigUsageListGroupVersionKind

	cases := map[string]struct {
		reason string
		want   []want
	}{
		"BothKindsCountTheNamespacedUsage": {
			reason: "ProviderConfigs and ClusterProviderConfigs are both counted through the namespaced ProviderConfigUsage, the only usage the tracker records.",
			want: []want{
				{name: "ProviderConfig", kinds: resource.ProviderConfigKinds{Config: apisv1alpha1.ProviderConfigGroupVersionKind, Usage: usage, UsageList: usageList}},
				{name: "ClusterProviderConfig", kinds: resource.ProviderConfigKinds{Config: apisv1alpha1.ClusterProviderConfigGroupVersionKind, Usage: usage, UsageList: usageList}},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := make([]want, 0, 2)
			for _, k := range kinds() {
				got = append(got, want{name: k.name, kinds: k.kinds})
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("\n%s\nkinds(): -want, +got:\n%s\n", tc.reason, diff)
			}
		})
	}
}

func TestSetup(t *testing.T) {
	cases := map[string]struct {
		reason string
		scheme []func(*runtime.Scheme) error
		err    string
	}{
		"Success": {
			reason: "With the provider's types in the scheme both controllers are set up.",
			scheme: []func(*runtime.Scheme) error{apis.AddToScheme},
		},
		"NoUsageInScheme": {
			reason: "A scheme without ProviderConfigUsage is an error naming the kind, not a panic.",
			scheme: []func(*runtime.Scheme) error{onlyProviderConfigs},
			err:    "cannot set up the ProviderConfig controller: the manager's scheme does not know aws.m.egresskit.io/v1alpha1, Kind=ProviderConfigUsage",
		},
		"EmptyScheme": {
			reason: "A scheme without the provider's types is an error naming the first kind missing.",
			err:    "cannot set up the ProviderConfig controller: the manager's scheme does not know aws.m.egresskit.io/v1alpha1, Kind=ProviderConfig",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			mgr := newManager(t, tc.scheme...)
			err := Setup(mgr, controller.DefaultOptions())
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.err, got); diff != "" {
				t.Errorf("\n%s\nSetup(...): -want error, +got error:\n%s\n", tc.reason, diff)
			}
		})
	}
}

func TestSetupGated(t *testing.T) {
	type want struct {
		err   string
		gvks  [][]schema.GroupVersionKind
		panic string
	}
	cases := map[string]struct {
		reason string
		gate   bool
		scheme []func(*runtime.Scheme) error
		want   want
	}{
		"NoGate": {
			reason: "Without a gate the controllers could never start: an error.",
			want:   want{err: "cannot set up the provider config controllers: controller options have no gate"},
		},
		"RegisteredOnConfigCRDs": {
			reason: "The controllers wait for the ProviderConfig, ClusterProviderConfig and ProviderConfigUsage CRDs, then set up.",
			gate:   true,
			scheme: []func(*runtime.Scheme) error{apis.AddToScheme},
			want: want{gvks: [][]schema.GroupVersionKind{{
				apisv1alpha1.ProviderConfigGroupVersionKind,
				apisv1alpha1.ClusterProviderConfigGroupVersionKind,
				apisv1alpha1.ProviderConfigUsageGroupVersionKind,
			}}},
		},
		"FailedSetupPanics": {
			reason: "A gated setup that fails panics rather than leave the provider without usage accounting.",
			gate:   true,
			want: want{
				gvks: [][]schema.GroupVersionKind{{
					apisv1alpha1.ProviderConfigGroupVersionKind,
					apisv1alpha1.ClusterProviderConfigGroupVersionKind,
					apisv1alpha1.ProviderConfigUsageGroupVersionKind,
				}},
				panic: "cannot set up the provider config controllers: cannot set up the ProviderConfig controller: the manager's scheme does not know aws.m.egresskit.io/v1alpha1, Kind=ProviderConfig",
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			o := controller.DefaultOptions()
			g := &gate{}
			if tc.gate {
				o.Gate = g
			}
			err := SetupGated(newManager(t, tc.scheme...), o)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want.err, got); diff != "" {
				t.Errorf("\n%s\nSetupGated(...): -want error, +got error:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.gvks, g.gvks); diff != "" {
				t.Errorf("\n%s\nGate.Register(...): -want GVKs, +got GVKs:\n%s\n", tc.reason, diff)
			}
			if g.callback == nil {
				return
			}
			panicked := func() (p string) {
				defer func() {
					if r := recover(); r != nil {
						p = fmt.Sprint(r)
					}
				}()
				g.callback()
				return ""
			}()
			if diff := cmp.Diff(tc.want.panic, panicked); diff != "" {
				t.Errorf("\n%s\ngated setup: -want panic, +got panic:\n%s\n", tc.reason, diff)
			}
		})
	}
}
