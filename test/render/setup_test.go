// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package render

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/egresskit/provider-aws-egress/cluster/local"
)

// crossplaneImage is the Crossplane package that `crank beta validate`
// always loads. It is never pulled: setup seeds the cache with the CRDs of
// the Crossplane module crank was built from.
const crossplaneImage = "local/crossplane:v2.2.0"

// setup finds or builds crank, builds and starts the function on a free
// port, and seeds the validation cache.
func setup(t *testing.T) environment {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()

	root, err := local.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	tools, err := local.FindTools(ctx, local.TestLog(t), local.ToolsCrank)
	if err != nil {
		t.Fatalf("cannot find crank: %v", err)
	}
	env := environment{root: root, crank: tools.Path(local.BinCrank), image: crossplaneImage}
	env.function = startFunction(ctx, t, root)
	env.cache = seedCache(ctx, t, root)
	return env
}

// startFunction builds the function and starts it insecurely on a free
// port, as `crossplane render` needs, and returns its address. A port taken
// by another process before the function binds it is retried with another.
func startFunction(ctx context.Context, t *testing.T, root string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "function")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/function")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("cannot build the function: %v\n%s", err, out)
	}
	for range 3 {
		port, err := local.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		p := local.StartProcessForTest(t, local.ProcessOptions{
			Name: "function",
			Path: bin,
			Args: []string{"--insecure", "--debug", "--address=" + addr, "--metrics-address="},
		})
		if listening(ctx, p, addr) {
			return addr
		}
		t.Logf("function did not listen on %s:\n%s", addr, p.Tail(20))
	}
	t.Fatal("cannot start the function")
	return ""
}

// listening waits until the function accepts connections at addr, or
// exits.
func listening(ctx context.Context, p *local.Process, addr string) bool {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if err == nil {
			_ = c.Close()
			return true
		}
		select {
		case <-p.Done():
			return false
		case <-ctx.Done():
			return false
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// seedCache writes the Crossplane package that `crank beta validate` loads
// into a new cache directory: the CRDs of the Crossplane module that crank
// was built from, so that validation never goes to a registry.
func seedCache(ctx context.Context, t *testing.T, root string) string {
	t.Helper()
	list := exec.CommandContext(ctx, "go", "list", "-mod=readonly", "-m", "-f", "{{.Dir}}", "github.com/crossplane/crossplane/v2")
	list.Dir = filepath.Join(root, "cluster", "tools", "crank")
	list.Env = append(os.Environ(), "GOWORK=off")
	out, err := list.Output()
	if err != nil {
		t.Fatalf("cannot find the Crossplane module of crank: %v", err)
	}
	crds, err := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "cluster", "crds", "*.yaml"))
	if err != nil || len(crds) == 0 {
		t.Fatalf("cannot find Crossplane's CRDs in %s: %v", out, err)
	}
	pkg := make([]string, 0, len(crds))
	for _, f := range crds {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pkg = append(pkg, string(b))
	}
	cache := t.TempDir()
	dir := filepath.Join(cache, strings.ReplaceAll(crossplaneImage, ":", "@"))
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "package.yaml"), []byte("---\n"+strings.Join(pkg, "\n---\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	return cache
}
