// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/providerconfig"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis"
	ec2v1alpha1 "github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/local"
)

// testVersion is stamped into the binary the tests build, as the Makefile
// stamps a release.
const testVersion = "v9.9.9-test"

var (
	buildOnce sync.Once
	binary    string
	errBuild  error
)

// providerBinary builds the provider once, with the Makefile's way of
// setting its version.
func providerBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		// One build serves every test, so it outlives any one test's TempDir.
		dir, err := os.MkdirTemp("", "provider-test") //nolint:usetesting // Removed in TestMain.
		if err != nil {
			errBuild = err
			return
		}
		binary = filepath.Join(dir, "provider")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", binary,
			"-ldflags", "-X github.com/egresskit/provider-aws-egress/internal/version.Version="+testVersion, ".")
		if out, err := cmd.CombinedOutput(); err != nil {
			errBuild = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if errBuild != nil {
		t.Fatal(errBuild)
	}
	return binary
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary != "" {
		_ = os.RemoveAll(filepath.Dir(binary))
	}
	os.Exit(code)
}

func TestBinaryExits(t *testing.T) {
	type want struct {
		exit   int
		output string
	}
	cases := map[string]struct {
		reason     string
		args       []string
		kubeconfig string
		want       want
	}{
		"Version": {
			reason: "--version prints the version stamped at build time.",
			args:   []string{"--version"},
			want:   want{exit: 0, output: testVersion},
		},
		"InvalidBudget": {
			reason: "An invalid EC2 API budget stops the provider at once, saying why.",
			args:   []string{"--ec2-api-budget=2"},
			want:   want{exit: 1, output: "invalid flags: --ec2-api-budget: EC2 API budget 2 is out of range"},
		},
		"UnknownFlag": {
			reason: "An unknown flag stops the provider at once.",
			args:   []string{"--pol=1m"},
			want:   want{exit: 1, output: "unknown long flag '--pol'"},
		},
		"NoKubeconfig": {
			reason: "Without a usable kubeconfig the provider fails loudly, saying what to set.",
			args:   []string{"--metrics-bind-address=0", "--health-probe-bind-address=0"},
			want:   want{exit: 1, output: "cannot run the provider: cannot get the API server's REST config: set $KUBECONFIG or run in a cluster"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			bin := providerBinary(t)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, tc.args...)
			cmd.Env = append(os.Environ(), "KUBECONFIG="+filepath.Join(t.TempDir(), "missing"))
			out, err := cmd.CombinedOutput()
			exit := 0
			if ee, ok := err.(*exec.ExitError); ok { //nolint:errorlint // exec returns *ExitError unwrapped.
				exit = ee.ExitCode()
			} else if err != nil {
				t.Fatalf("cannot run %s: %v", bin, err)
			}
			if diff := cmp.Diff(tc.want.exit, exit); diff != "" {
				t.Errorf("\n%s\nexit code: -want, +got:\n%s\noutput:\n%s", tc.reason, diff, out)
			}
			if !strings.Contains(string(out), tc.want.output) {
				t.Errorf("\n%s\noutput does not contain %q:\n%s", tc.reason, tc.want.output, out)
			}
		})
	}
}

// TestBinaryAgainstControlPlane runs the provider out of cluster against a
// real kube-apiserver with the provider's CRDs: it serves its probes and
// metrics on the addresses given, starts its controllers through the CRD
// gate, keeps a ClusterProviderConfig in use from being deleted, and stops
// cleanly on SIGTERM.
func TestBinaryAgainstControlPlane(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane")
	}
	bin := providerBinary(t)
	ctx := t.Context()
	cp := local.StartForTest(t, local.Options{})

	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{clientgoscheme.AddToScheme, apiextensionsv1.AddToScheme, apis.AddToScheme} {
		if err := add(s); err != nil {
			t.Fatal(err)
		}
	}
	cl, err := client.New(cp.Config, client.Options{Scheme: s})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := local.InstallCRDs(ctx, cl, time.Minute, filepath.Join("..", "..", "package", "provider", "crds")); err != nil {
		t.Fatal(err)
	}

	ports, err := local.FreePorts(2)
	if err != nil {
		t.Fatal(err)
	}
	metricsURL := fmt.Sprintf("http://127.0.0.1:%d/metrics", ports[0])
	healthURL := fmt.Sprintf("http://127.0.0.1:%d", ports[1])
	p := local.StartProcessForTest(t, local.ProcessOptions{
		Name: "provider",
		Path: bin,
		Args: []string{
			fmt.Sprintf("--metrics-bind-address=127.0.0.1:%d", ports[0]),
			fmt.Sprintf("--health-probe-bind-address=127.0.0.1:%d", ports[1]),
			"--debug",
		},
		Env:       []string{"KUBECONFIG=" + cp.Kubeconfig},
		StopGrace: 30 * time.Second,
	})
	for _, path := range []string{"/healthz", "/readyz"} {
		if err := p.WaitReady(ctx, time.Minute, local.HTTPProbe(nil, healthURL+path)); err != nil {
			t.Fatalf("The provider answers %s on --health-probe-bind-address: %v", path, err)
		}
	}

	// Every controller starts once its CRD is established: its reconcile
	// counters appear in the metrics.
	for _, name := range []string{
		providerconfig.ControllerName(apisv1alpha1.ProviderConfigKind),
		providerconfig.ControllerName(apisv1alpha1.ClusterProviderConfigKind),
		managed.ControllerName(ec2v1alpha1.NATGatewayGroupKind),
		managed.ControllerName(ec2v1alpha1.ElasticIPGroupKind),
		managed.ControllerName(ec2v1alpha1.RouteGroupKind),
	} {
		want := fmt.Sprintf(`controller_runtime_reconcile_total{controller=%q,result="success"}`, name)
		err := local.Poll(ctx, time.Minute, func(context.Context) error {
			_, body := get(metricsURL)
			if !strings.Contains(body, want) {
				return fmt.Errorf("metrics have no %s", want)
			}
			return nil
		})
		if err != nil {
			t.Errorf("The %s controller starts behind the CRD gate: %v", name, err)
		}
	}

	// A ProviderConfig gets the in-use finalizer and a count of its users.
	sec := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "aws-creds"},
		StringData: map[string]string{"credentials": "[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = example\n"},
	}
	pc := &apisv1alpha1.ProviderConfig{
		ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "aws"},
		Spec: apisv1alpha1.ProviderConfigSpec{Credentials: apisv1alpha1.ProviderCredentials{
			Source:    apisv1alpha1.CredentialsSourceSecret,
			SecretRef: &xpv2.LocalSecretKeySelector{LocalSecretReference: xpv2.LocalSecretReference{Name: "aws-creds"}, Key: "credentials"},
		}},
	}
	cpc := &apisv1alpha1.ClusterProviderConfig{
		ObjectMeta: metav1.ObjectMeta{Name: "default"},
		Spec:       apisv1alpha1.ClusterProviderConfigSpec{Credentials: apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceNone}},
	}
	for _, o := range []client.Object{sec, pc, cpc} {
		if err := cl.Create(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	if err := local.Poll(ctx, time.Minute, func(ctx context.Context) error {
		got := &apisv1alpha1.ProviderConfig{}
		if err := cl.Get(ctx, client.ObjectKeyFromObject(pc), got); err != nil {
			return err
		}
		if !slices.Contains(got.GetFinalizers(), "in-use.crossplane.io") {
			return fmt.Errorf("finalizers %v", got.GetFinalizers())
		}
		return nil
	}); err != nil {
		t.Errorf("The ProviderConfig controller adds the in-use finalizer: %v", err)
	}

	// A ClusterProviderConfig with a usage, recorded as the tracker records
	// it, counts one user and survives its deletion until the usage goes.
	pcu := &apisv1alpha1.ProviderConfigUsage{
		ObjectMeta: metav1.ObjectMeta{
			Namespace: "default",
			Name:      "natgateway-egress",
			Labels: map[string]string{
				xpv2.LabelKeyProviderName: "default",
				xpv2.LabelKeyProviderKind: apisv1alpha1.ClusterProviderConfigKind,
			},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: ec2v1alpha1.SchemeGroupVersion.String(), Kind: ec2v1alpha1.NATGatewayKind, Name: "egress",
				UID: "2c6a3d0e-5b8f-4a51-9d8e-0f4c3b2a1e00", Controller: ptr.To(true),
			}},
		},
		TypedProviderConfigUsage: xpv2.TypedProviderConfigUsage{
			ProviderConfigReference: xpv2.ProviderConfigReference{Kind: apisv1alpha1.ClusterProviderConfigKind, Name: "default"},
			ResourceReference:       xpv2.TypedReference{APIVersion: ec2v1alpha1.SchemeGroupVersion.String(), Kind: ec2v1alpha1.NATGatewayKind, Name: "egress"},
		},
	}
	if err := cl.Create(ctx, pcu); err != nil {
		t.Fatal(err)
	}
	if err := local.Poll(ctx, time.Minute, func(ctx context.Context) error {
		got := &apisv1alpha1.ClusterProviderConfig{}
		if err := cl.Get(ctx, client.ObjectKeyFromObject(cpc), got); err != nil {
			return err
		}
		if got.Status.Users != 1 {
			return fmt.Errorf("users %d", got.Status.Users)
		}
		return nil
	}); err != nil {
		t.Errorf("The ClusterProviderConfig counts the usage in another namespace: %v", err)
	}
	if err := cl.Delete(ctx, cpc); err != nil {
		t.Fatal(err)
	}
	if err := local.Poll(ctx, time.Minute, func(ctx context.Context) error {
		got := &apisv1alpha1.ClusterProviderConfig{}
		if err := cl.Get(ctx, client.ObjectKeyFromObject(cpc), got); err != nil {
			return err
		}
		if got.GetDeletionTimestamp() == nil || got.GetCondition("Terminating").Status != corev1.ConditionTrue {
			return fmt.Errorf("deletion %v, conditions %v", got.GetDeletionTimestamp(), got.Status.Conditions)
		}
		return nil
	}); err != nil {
		t.Errorf("A ClusterProviderConfig in use is not deleted: %v", err)
	}
	if err := cl.Delete(ctx, pcu); err != nil {
		t.Fatal(err)
	}
	if err := local.Poll(ctx, time.Minute, func(ctx context.Context) error {
		err := cl.Get(ctx, client.ObjectKeyFromObject(cpc), &apisv1alpha1.ClusterProviderConfig{})
		if kerrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return errors.New("the ClusterProviderConfig still exists")
	}); err != nil {
		t.Errorf("A ClusterProviderConfig no longer in use is deleted: %v", err)
	}

	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := p.Wait(); err != nil {
		t.Errorf("The provider stops cleanly on SIGTERM: %v\n%s", err, p.Tail(20))
	}
}

// get returns the status and body of a GET of url.
func get(url string) (int, string) {
	rsp, err := http.Get(url) //nolint:noctx // A test against a loopback server.
	if err != nil {
		return 0, err.Error()
	}
	defer rsp.Body.Close()
	b, _ := io.ReadAll(rsp.Body)
	return rsp.StatusCode, string(b)
}
