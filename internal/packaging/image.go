// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package packaging

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// The identity the image runs as: distroless' nonroot. It is numeric so that
// a kubelet can enforce runAsNonRoot.
const (
	NonRootUID  = 65532
	NonRootName = "nonroot"
)

// Paths inside a runtime image.
const (
	// BinDir holds the package's binary.
	BinDir = "/usr/local/bin"
	// CACertsPath is the CA bundle, the first file Go's crypto/x509 reads on
	// Linux.
	CACertsPath = "/etc/ssl/certs/ca-certificates.crt"
)

// HostCACerts is the CA bundle of the build machine (Debian's
// ca-certificates) that runtime images carry at CACertsPath.
const HostCACerts = "/etc/ssl/certs/ca-certificates.crt"

// ImageOptions describe a runtime image.
type ImageOptions struct {
	// Binary is the path of a static linux binary for Arch; it becomes
	// BinDir/Name and the entrypoint.
	Binary string
	// Name is the binary's name in the image.
	Name string
	// Arch is the GOARCH of the binary, e.g. amd64.
	Arch string
	// CACerts is the PEM CA bundle the image carries.
	CACerts []byte
	// Created is the image's creation time, also the time of its files: the
	// commit's time, so that one commit always gives the same digest.
	Created time.Time
	// Labels are the image config's labels.
	Labels map[string]string
	// ExposedPorts are ports the binary serves, e.g. 9443/tcp.
	ExposedPorts []string
}

// RuntimeImage builds a runtime image FROM scratch: one layer with the
// binary, the CA bundle, /etc/passwd and /etc/group naming the nonroot user,
// and /tmp; a config that runs the binary as that user. The same options
// give the same digest.
func RuntimeImage(o ImageOptions) (v1.Image, error) {
	bin, err := os.ReadFile(o.Binary)
	if err != nil {
		return nil, errors.Wrap(err, "cannot read binary")
	}
	layer, err := tarLayer(o.Created, []file{
		{path: "etc/", dir: true, mode: 0o755},
		{path: "etc/group", mode: 0o644, data: []byte("root:x:0:\nnonroot:x:65532:\n")},
		{path: "etc/passwd", mode: 0o644, data: []byte("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n")},
		{path: "etc/ssl/", dir: true, mode: 0o755},
		{path: "etc/ssl/certs/", dir: true, mode: 0o755},
		{path: CACertsPath[1:], mode: 0o644, data: o.CACerts},
		{path: "home/", dir: true, mode: 0o755},
		{path: "home/nonroot/", dir: true, mode: 0o700, uid: NonRootUID},
		{path: "tmp/", dir: true, mode: 0o1777},
		{path: "usr/", dir: true, mode: 0o755},
		{path: "usr/local/", dir: true, mode: 0o755},
		{path: BinDir[1:] + "/", dir: true, mode: 0o755},
		{path: path.Join(BinDir[1:], o.Name), mode: 0o755, data: bin},
	})
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		return nil, errors.Wrap(err, "cannot add layer")
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, errors.Wrap(err, "cannot read image config")
	}
	cfg = cfg.DeepCopy()
	cfg.OS = "linux"
	cfg.Architecture = o.Arch
	cfg.Created = v1.Time{Time: o.Created.UTC()}
	cfg.Config.Entrypoint = []string{path.Join(BinDir, o.Name)}
	cfg.Config.User = "65532:65532"
	cfg.Config.WorkingDir = "/"
	cfg.Config.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "SSL_CERT_FILE=" + CACertsPath}
	cfg.Config.Labels = o.Labels
	if len(o.ExposedPorts) > 0 {
		cfg.Config.ExposedPorts = map[string]struct{}{}
		for _, p := range o.ExposedPorts {
			cfg.Config.ExposedPorts[p] = struct{}{}
		}
	}
	img, err = mutate.ConfigFile(img, cfg)
	return img, errors.Wrap(err, "cannot set image config")
}

// A file is one entry of a layer.
type file struct {
	path string
	dir  bool
	mode int64
	uid  int
	data []byte
}

// tarLayer returns a gzipped layer of files, in the given order, all with
// time t, so the same files always give the same digest.
func tarLayer(t time.Time, files []file) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		h := &tar.Header{
			Name:     f.path,
			Mode:     f.mode,
			Uid:      f.uid,
			Gid:      f.uid,
			ModTime:  t.UTC(),
			Typeflag: tar.TypeReg,
			Size:     int64(len(f.data)),
			Format:   tar.FormatPAX,
		}
		if f.dir {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, errors.Wrapf(err, "cannot write %s", f.path)
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, errors.Wrapf(err, "cannot write %s", f.path)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, errors.Wrap(err, "cannot close layer")
	}
	data := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	})
	return l, errors.Wrap(err, "cannot make layer")
}
