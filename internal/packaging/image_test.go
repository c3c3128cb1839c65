// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package packaging

import (
	"archive/tar"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

func testImageOptions(t *testing.T) ImageOptions {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "provider")
	if err := os.WriteFile(bin, []byte("\x7fELF not really"), 0o600); err != nil {
		t.Fatal(err)
	}
	return ImageOptions{
		Binary:       bin,
		Name:         "provider",
		Arch:         "arm64",
		CACerts:      []byte("-----BEGIN CERTIFICATE-----\n"),
		Created:      time.Date(2026, 11, 26, 18, 54, 42, 0, time.UTC),
		Labels:       map[string]string{"org.opencontainers.image.version": "v0.1.0"},
		ExposedPorts: []string{FunctionPort},
	}
}

func TestRuntimeImageIsReproducible(t *testing.T) {
	o := testImageOptions(t)
	digests := map[string]bool{}
	for range 2 {
		img, err := RuntimeImage(o)
		if err != nil {
			t.Fatal(err)
		}
		d, err := img.Digest()
		if err != nil {
			t.Fatal(err)
		}
		digests[d.String()] = true
	}
	if len(digests) != 1 {
		t.Errorf("two builds of the same inputs gave digests %v, want one", digests)
	}

	o.Created = o.Created.Add(time.Second)
	img, err := RuntimeImage(o)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	if digests[d.String()] {
		t.Errorf("another creation time gave the same digest %s", d)
	}
}

func TestRuntimeImageConfig(t *testing.T) {
	img, err := RuntimeImage(testImageOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	type summary struct {
		OS, Arch, User string
		Entrypoint     []string
		Labels         map[string]string
		Ports          map[string]struct{}
		Created        string
	}
	want := summary{
		OS: "linux", Arch: "arm64", User: "65532:65532",
		Entrypoint: []string{"/usr/local/bin/provider"},
		Labels:     map[string]string{"org.opencontainers.image.version": "v0.1.0"},
		Ports:      map[string]struct{}{"9443/tcp": {}},
		Created:    "2026-11-26T18:54:42Z",
	}
	got := summary{
		OS: cfg.OS, Arch: cfg.Architecture, User: cfg.Config.User, Entrypoint: cfg.Config.Entrypoint,
		Labels: cfg.Config.Labels, Ports: cfg.Config.ExposedPorts, Created: cfg.Created.UTC().Format(time.RFC3339),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RuntimeImage config: -want, +got:\n%s", diff)
	}
}

func TestRuntimeImageFiles(t *testing.T) {
	img, err := RuntimeImage(testImageOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		Mode int64
		UID  int
		Size int64
	}
	got := map[string]entry{}
	tr := tar.NewReader(mutate.Extract(img))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			got[h.Name] = entry{Mode: h.Mode, UID: h.Uid, Size: h.Size}
		}
	}
	// Crossplane runs packages as uid 2000 unless told otherwise: every
	// file must be readable, the binary executable, by anyone.
	want := map[string]entry{
		"etc/group":                         {Mode: 0o644, Size: 27},
		"etc/passwd":                        {Mode: 0o644, Size: 94},
		"etc/ssl/certs/ca-certificates.crt": {Mode: 0o644, Size: 28},
		"usr/local/bin/provider":            {Mode: 0o755, Size: 15},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RuntimeImage files: -want, +got:\n%s", diff)
	}
}
