// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package controller

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/apis"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/controller/config"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
)

var errBoom = errors.New("boom")

// gate is a fake controller.Gate that records registrations.
type gate struct {
	mu   sync.Mutex
	gvks [][]schema.GroupVersionKind
}

func (g *gate) Register(_ func(), gvks ...schema.GroupVersionKind) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gvks = append(g.gvks, gvks)
}

func (g *gate) Set(_ schema.GroupVersionKind, _ bool) bool { return false }

func newManager(t *testing.T) ctrl.Manager {
	t.Helper()
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	if err := apis.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	mgr, err := ctrl.NewManager(&rest.Config{Host: "https://127.0.0.1:1"}, ctrl.Options{
		Scheme:                 s,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
	})
	if err != nil {
		t.Fatal(err)
	}
	return mgr
}

func TestSetupGated(t *testing.T) {
	type want struct {
		err string
		// calls counts the managed setups called.
		calls int
		// factories counts the distinct EC2 client factories they got.
		factories int
		gvks      [][]schema.GroupVersionKind
	}
	cases := map[string]struct {
		reason string
		gate   bool
		fail   bool
		setups int
		want   want
	}{
		"OneFactoryForAll": {
			reason: "Every managed-resource controller gets the same EC2 client factory, and the config controllers wait at the gate.",
			gate:   true,
			setups: 3,
			want:   want{calls: 3, factories: 1, gvks: [][]schema.GroupVersionKind{config.GroupVersionKinds()}},
		},
		"ManagedSetupFails": {
			reason: "A managed-resource controller that cannot be set up fails the whole setup.",
			gate:   true,
			setups: 2,
			fail:   true,
			want:   want{err: "cannot set up a managed resource controller: boom", calls: 1, factories: 1, gvks: [][]schema.GroupVersionKind{config.GroupVersionKinds()}},
		},
		"NoGate": {
			reason: "Without a gate nothing is set up.",
			setups: 1,
			want:   want{err: "cannot set up the provider config controllers: controller options have no gate"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			o := controller.DefaultOptions()
			g := &gate{}
			if tc.gate {
				o.Gate = g
			}
			factories := map[ec2client.ClientFactory]bool{}
			calls := 0
			setups := make([]managedSetup, tc.setups)
			for i := range setups {
				setups[i] = func(_ ctrl.Manager, _ controller.Options, deps managedopts.Dependencies) error {
					calls++
					factories[deps.Clients] = true
					if tc.fail {
						return errBoom
					}
					return nil
				}
			}
			err := setupGated(newManager(t), o, dependencies(t), setups)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want.err, got); diff != "" {
				t.Errorf("\n%s\nSetupGated(...): -want error, +got error:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.calls, calls); diff != "" {
				t.Errorf("\n%s\nmanaged setups called: -want, +got:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.factories, len(factories)); diff != "" {
				t.Errorf("\n%s\ndistinct factories: -want, +got:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.gvks, g.gvks); diff != "" {
				t.Errorf("\n%s\ngate registrations: -want, +got:\n%s\n", tc.reason, diff)
			}
		})
	}
}

// dependencies returns the dependencies the provider builds, with an EC2
// client factory of a manager that is never started.
func dependencies(t *testing.T) managedopts.Dependencies {
	t.Helper()
	return managedopts.Dependencies{Clients: ec2client.NewClientFactory(newManager(t).GetClient(), ec2client.WithCacheSize(8))}
}

func TestSetupGatedManaged(t *testing.T) {
	o := controller.DefaultOptions()
	o.Gate = &gate{}
	if err := SetupGated(newManager(t), o, dependencies(t)); err != nil {
		t.Errorf("SetupGated sets up the provider's registered controllers without error, got %v", err)
	}
}

func TestSetupGatedNATGatewayOptions(t *testing.T) {
	o := controller.DefaultOptions()
	g := &gate{}
	o.Gate = g
	deps := dependencies(t)
	deps.NATInventoryInterval = 30 * time.Second
	if err := SetupGated(newManager(t), o, deps); err != nil {
		t.Errorf("SetupGated sets up the provider's registered controllers with NATGateway options without error, got %v", err)
	}
	// The config controllers and the three managed-resource controllers
	// wait at the gate.
	if got := len(g.gvks); got != 4 {
		t.Errorf("SetupGated: want 4 gate registrations, got %d", got)
	}
}
