// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package pkgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/client-go/util/retry"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	pkgv1 "github.com/crossplane/crossplane/apis/v2/pkg/v1"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/internal/packaging"
)

// runtimeContainer is the container of a package's Deployment.
const runtimeContainer = "package-runtime"

// tokenLifetime is how long the provider's ServiceAccount token lasts.
const tokenLifetime = time.Hour

// A providerRun is the provider of one ProviderRevision run as a process:
// what a kubelet would run of the revision's Deployment.
type providerRun struct {
	revision string
	sa       string
	proc     *local.Process
}

// runProvider runs the provider of the revision rev as its Deployment says:
// the binary taken out of the revision's image, its args and env, with a
// token of its ServiceAccount, bound to the RBAC Crossplane granted. extra
// flags replace those of the Deployment by name.
func (env *environment) runProvider(t *testing.T, rev *pkgv1.ProviderRevision, extra ...string) *providerRun {
	t.Helper()
	ctx := t.Context()
	d := env.revisionDeployment(t, rev)
	c := container(t, d)
	sa := d.Spec.Template.Spec.ServiceAccountName
	env.waitForBinding(t, rev.GetName(), d.Namespace, sa)

	dir := t.TempDir()
	bin, err := extractBinary(rev.Spec.Package, "provider", dir)
	if err != nil {
		t.Fatal(err)
	}
	kubeconfig := env.serviceAccountKubeconfig(t, d.Namespace, sa, dir)

	args := append(withoutFlags(c.Args, extra), extra...)
	envs := []string{"KUBECONFIG=" + kubeconfig}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			envs = append(envs, e.Name+"="+e.Value)
		case e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.FieldPath == "metadata.namespace":
			envs = append(envs, e.Name+"="+d.Namespace)
		}
	}
	ports, err := local.FreePorts(1)
	if err != nil {
		t.Fatal(err)
	}
	health := fmt.Sprintf("127.0.0.1:%d", ports[0])
	p, err := local.StartProcess(local.ProcessOptions{
		Name:   "provider-" + rev.GetName(),
		Path:   bin,
		Args:   append(args, "--health-probe-bind-address="+health, "--metrics-bind-address=0"),
		Env:    envs,
		LogDir: env.logs,
	})
	if err != nil {
		t.Fatal(err)
	}
	stopForTest(t, p)
	if err := p.WaitReady(ctx, time.Minute, local.HTTPProbe(nil, "http://"+health+"/readyz")); err != nil {
		t.Fatalf("cannot start the provider of %s: %v", rev.GetName(), err)
	}
	t.Logf("provider %s runs from its image as system:serviceaccount:%s:%s: %s", rev.Spec.Package, d.Namespace, sa, strings.Join(args, " "))
	return &providerRun{revision: rev.GetName(), sa: sa, proc: p}
}

// withoutFlags returns args without the flags that extra sets.
func withoutFlags(args, extra []string) []string {
	name := func(a string) string { n, _, _ := strings.Cut(a, "="); return n }
	set := map[string]bool{}
	for _, e := range extra {
		set[name(e)] = true
	}
	out := make([]string, 0, len(args))
	for _, a := range args {
		if !set[name(a)] {
			out = append(out, a)
		}
	}
	return out
}

// revisionDeployment returns the Deployment Crossplane made for a provider
// revision, once it exists.
func (env *environment) revisionDeployment(t *testing.T, rev *pkgv1.ProviderRevision) *appsv1.Deployment {
	t.Helper()
	var found *appsv1.Deployment
	err := local.Poll(t.Context(), 2*time.Minute, func(ctx context.Context) error {
		l := &appsv1.DeploymentList{}
		if err := env.client.List(ctx, l, client.InNamespace(local.DefaultCrossplaneNamespace)); err != nil {
			return err
		}
		for i := range l.Items {
			if metav1.IsControlledBy(&l.Items[i], rev) {
				found = &l.Items[i]
				return nil
			}
		}
		return errNotYet("a Deployment of " + rev.GetName())
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func container(t *testing.T, d *appsv1.Deployment) corev1.Container {
	t.Helper()
	for _, c := range d.Spec.Template.Spec.Containers {
		if c.Name == runtimeContainer {
			return c
		}
	}
	t.Fatalf("Deployment %s has no container %s", d.GetName(), runtimeContainer)
	return corev1.Container{}
}

// waitForBinding waits until Crossplane's RBAC manager has bound the system
// role of the revision to its ServiceAccount.
func (env *environment) waitForBinding(t *testing.T, revision, ns, sa string) {
	t.Helper()
	name := "crossplane:provider:" + revision + ":system"
	err := local.Poll(t.Context(), 2*time.Minute, func(ctx context.Context) error {
		b := &rbacv1.ClusterRoleBinding{}
		if err := env.client.Get(ctx, client.ObjectKey{Name: name}, b); err != nil {
			return err
		}
		for _, s := range b.Subjects {
			if s.Kind == rbacv1.ServiceAccountKind && s.Namespace == ns && s.Name == sa {
				return nil
			}
		}
		return errors.Errorf("ClusterRoleBinding %s binds %v, not %s/%s", name, b.Subjects, ns, sa)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// serviceAccountKubeconfig writes a kubeconfig with a token of the
// ServiceAccount from the TokenRequest API, as a kubelet mounts in a pod.
func (env *environment) serviceAccountKubeconfig(t *testing.T, ns, sa, dir string) string {
	t.Helper()
	tr, err := env.kube.CoreV1().ServiceAccounts(ns).CreateToken(t.Context(), sa, &authenticationv1.TokenRequest{
		Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: ptr.To(int64(tokenLifetime.Seconds()))},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("cannot request a token for ServiceAccount %s/%s: %v", ns, sa, err)
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["local"] = &clientcmdapi.Cluster{Server: env.cp.Config.Host, CertificateAuthorityData: env.cp.Config.CAData}
	cfg.AuthInfos[sa] = &clientcmdapi.AuthInfo{Token: tr.Status.Token}
	cfg.Contexts["local"] = &clientcmdapi.Context{Cluster: "local", AuthInfo: sa, Namespace: ns}
	cfg.CurrentContext = "local"
	path := filepath.Join(dir, "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// serveFunction plays the External package runtime for the active revision
// of the Function named name, as Crossplane's Deployment runtime does for
// one in a pod: it runs the function taken out of the revision's image with
// the server certificate of Crossplane's function CA, puts that certificate
// in the Secret the revision names, sets the revision's endpoint, and
// reports RuntimeHealthy once the function serves. Nothing else in
// Crossplane sets RuntimeHealthy with --package-runtime=External, and the
// Function is Healthy only with it.
func (env *environment) serveFunction(t *testing.T, name string) *local.Process {
	t.Helper()
	ctx := t.Context()
	rev := &pkgv1.FunctionRevision{}
	err := local.Poll(ctx, 2*time.Minute, func(ctx context.Context) error {
		l := &pkgv1.FunctionRevisionList{}
		if err := env.client.List(ctx, l, client.MatchingLabels{pkgv1.LabelParentPackage: name}); err != nil {
			return err
		}
		for i := range l.Items {
			if l.Items[i].GetDesiredState() == pkgv1.PackageRevisionActive {
				rev = &l.Items[i]
				return nil
			}
		}
		return errNotYet("an active FunctionRevision of " + name)
	})
	if err != nil {
		t.Fatal(err)
	}

	bin, err := extractBinary(rev.Spec.Package, "function", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tls := env.xp.FunctionTLS.ServerDir
	p, addr := startFunction(t, bin, tls)

	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: name + "-tls-server", Namespace: local.DefaultCrossplaneNamespace}, Data: map[string][]byte{}}
	for _, f := range []string{corev1.TLSCertKey, corev1.TLSPrivateKeyKey, "ca.crt"} {
		if secret.Data[f], err = os.ReadFile(filepath.Join(tls, f)); err != nil {
			t.Fatal(err)
		}
	}
	env.create(t, secret)

	err = retry.RetryOnConflict(retry.DefaultRetry, func() error {
		if err := env.client.Get(ctx, client.ObjectKeyFromObject(rev), rev); err != nil {
			return err
		}
		// What the Deployment runtime copies from the revision's spec
		// before the package manager establishes its objects.
		rev.SetObservedTLSServerSecretName(ptr.To(secret.Name))
		rev.Status.Endpoint = addr
		rev.SetConditions(pkgv1.RuntimeHealthy())
		return env.client.Status().Update(ctx, rev)
	})
	if err != nil && !kerrors.IsNotFound(err) {
		t.Fatalf("cannot set the runtime status of FunctionRevision %s: %v", rev.GetName(), err)
	}
	t.Logf("function %s serves FunctionRevision %s at %s (mTLS)", rev.Spec.Package, rev.GetName(), addr)
	return p
}

// startFunction starts the function with mTLS on a free loopback port,
// retried when another process takes the port first, with no metrics.
func startFunction(t *testing.T, bin, tlsDir string) (*local.Process, string) {
	t.Helper()
	for range 3 {
		port, err := local.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		p, err := local.StartProcess(local.ProcessOptions{
			Name: "function",
			Path: bin,
			Args: []string{"--debug", "--tls-server-certs-dir=" + tlsDir, "--address=" + addr, "--metrics-address="},
		})
		if err != nil {
			t.Fatal(err)
		}
		err = p.WaitReady(t.Context(), 30*time.Second, func(ctx context.Context) error {
			c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
			if err != nil {
				return err
			}
			return c.Close()
		})
		if err == nil {
			stopForTest(t, p)
			return p, addr
		}
		t.Logf("function did not listen on %s: %v", addr, err)
		_ = p.Stop()
	}
	t.Fatal("cannot start the function")
	return nil, ""
}

// packageRef returns the reference of a package version in the suite's
// registry.
func (env *environment) packageRef(pkg, version string) string {
	return packaging.Ref(env.registry, pkg, version)
}
