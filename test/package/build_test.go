// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package pkgtest

import (
	"archive/tar"
	"context"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/internal/packaging"
)

// The versions the suite builds: the first is installed, the second is the
// provider's upgrade.
const (
	version1 = "v0.0.1"
	version2 = "v0.0.2"
)

// builds are the packages of both versions, built once per test binary.
type builds struct {
	root  string
	crank string
	// dir holds everything built; TestMain removes it.
	dir string
	// byVersion holds the artifacts of each version, for this machine's
	// architecture only: a release builds both (make build), the suite
	// saves the second compile.
	byVersion map[string][]packaging.Artifact
}

// built holds the packages of the test binary.
var built struct {
	once sync.Once
	b    builds
	err  error
}

// buildPackages builds both versions of the packages, as make build does,
// into a directory that outlives the tests that share it.
func buildPackages(ctx context.Context, progress io.Writer) (builds, error) {
	built.once.Do(func() {
		built.b, built.err = doBuild(ctx, progress)
	})
	return built.b, built.err
}

func doBuild(ctx context.Context, progress io.Writer) (builds, error) {
	root, err := local.RepoRoot()
	if err != nil {
		return builds{}, err
	}
	tools, err := local.FindTools(ctx, progress, local.ToolsCrank)
	if err != nil {
		return builds{}, err
	}
	commit, err := packaging.Describe(ctx, root)
	if err != nil {
		return builds{}, err
	}
	out, err := local.MkdirTemp("xpkg-")
	if err != nil {
		return builds{}, errors.Wrap(err, "cannot create build directory")
	}
	b := builds{root: root, crank: tools.Path(local.BinCrank), dir: out, byVersion: map[string][]packaging.Artifact{}}
	for _, v := range []string{version1, version2} {
		a, err := packaging.Build(ctx, packaging.Options{
			Root:     root,
			Out:      filepath.Join(out, v),
			Version:  v,
			Source:   commit,
			Arches:   []string{runtime.GOARCH},
			Crank:    b.crank,
			Progress: progress,
		})
		if err != nil {
			return builds{}, err
		}
		b.byVersion[v] = a
	}
	return b, nil
}

// artifact returns the artifact of a package of a version.
func (b builds) artifact(t *testing.T, version, pkg string) packaging.Artifact {
	t.Helper()
	for _, a := range b.byVersion[version] {
		if a.Package.Name == pkg {
			return a
		}
	}
	t.Fatalf("no %s %s was built", pkg, version)
	return packaging.Artifact{}
}

// startRegistry serves an in-memory OCI registry on a loopback port for the
// test and returns its host:port. Crossplane pulls from 127.0.0.1 over
// plain HTTP; "localhost" would fail the Provider's CEL rule, which wants a
// dot in the registry's name.
func startRegistry(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// extractBinary takes the binary of a package out of the image pushed as
// ref, for this machine's platform, and writes it to dir.
func extractBinary(ref, binary, dir string) (string, error) {
	r, err := name.ParseReference(ref)
	if err != nil {
		return "", errors.Wrapf(err, "cannot parse %s", ref)
	}
	img, err := remote.Image(r, remote.WithPlatform(v1.Platform{OS: "linux", Architecture: runtime.GOARCH}))
	if err != nil {
		return "", errors.Wrapf(err, "cannot pull %s", ref)
	}
	want := strings.TrimPrefix(filepath.Join(packaging.BinDir, binary), "/")
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return "", errors.Errorf("image %s has no %s", ref, want)
		}
		if err != nil {
			return "", errors.Wrapf(err, "cannot read image %s", ref)
		}
		if h.Name != want {
			continue
		}
		path := filepath.Join(dir, binary)
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
		if err != nil {
			return "", errors.Wrap(err, "cannot create binary")
		}
		if _, err := io.Copy(f, tr); err != nil {
			_ = f.Close()
			return "", errors.Wrap(err, "cannot write binary")
		}
		return path, errors.Wrap(f.Close(), "cannot write binary")
	}
}
