// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package packaging

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// Source is the repository the images' labels name.
const Source = "https://github.com/egresskit/provider-aws-egress"

// versionVar is the variable the linker stamps with the version.
const versionVar = "github.com/egresskit/provider-aws-egress/internal/version.Version"

// DefaultArches are the architectures of a release.
var DefaultArches = []string{"amd64", "arm64"} //nolint:gochecknoglobals // A constant list.

// Options configure a build.
type Options struct {
	// Root is the repository.
	Root string
	// Out receives bin/, images/ and xpkg/.
	Out string
	// Version names the build: the images' tag, the binaries' version.
	Version string
	// Source describes the commit: its hash and time, from Describe.
	Source Commit
	// Arches are GOARCH values; empty means DefaultArches.
	Arches []string
	// Crank is the Crossplane CLI (crank) that builds the .xpkg files.
	Crank string
	// CACerts is the CA bundle the images carry; empty means HostCACerts.
	CACerts string
	// Progress receives a line per step; nil means none.
	Progress io.Writer
}

// A Commit is what the images record of the commit they are built from.
type Commit struct {
	Revision string
	Time     time.Time
}

// An Artifact is one package built for one architecture.
type Artifact struct {
	Package Package
	Arch    string
	// Binary, Image (a tarball) and Xpkg are paths under Options.Out.
	Binary, Image, Xpkg string
	// ImageDigest and XpkgDigest are the manifest digests.
	ImageDigest, XpkgDigest string
}

// Build builds, for each architecture, the binaries of every package, their
// runtime images and their .xpkg files.
func Build(ctx context.Context, o Options) ([]Artifact, error) {
	if len(o.Arches) == 0 {
		o.Arches = DefaultArches
	}
	if o.CACerts == "" {
		o.CACerts = HostCACerts
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	ca, err := os.ReadFile(o.CACerts)
	if err != nil {
		return nil, errors.Wrap(err, "cannot read CA bundle")
	}
	var out []Artifact
	for _, arch := range o.Arches {
		bins := filepath.Join(o.Out, "bin", "linux_"+arch)
		if err := o.goBuild(ctx, arch, bins); err != nil {
			return nil, err
		}
		for _, p := range Packages() {
			a := Artifact{
				Package: p,
				Arch:    arch,
				Binary:  filepath.Join(bins, p.Binary),
				Image:   filepath.Join(o.Out, "images", fmt.Sprintf("%s-%s-%s.tar", p.Name, o.Version, arch)),
				Xpkg:    filepath.Join(o.Out, "xpkg", fmt.Sprintf("%s-%s-%s.xpkg", p.Name, o.Version, arch)),
			}
			if err := o.image(&a, ca); err != nil {
				return nil, err
			}
			if err := o.xpkg(ctx, &a); err != nil {
				return nil, err
			}
			fmt.Fprintf(o.Progress, "%s %s: image %s, package %s\n", p.Name, arch, a.ImageDigest, a.XpkgDigest) //nolint:errcheck // progress is best effort
			out = append(out, a)
		}
	}
	return out, nil
}

// goBuild builds every package's binary for linux/arch into dir, static and
// without paths of the build machine.
func (o Options) goBuild(ctx context.Context, arch, dir string) error {
	pkgs := Packages()
	args := make([]string, 0, 6+len(pkgs))
	args = append(args, "build", "-trimpath", "-ldflags", "-s -w -X "+versionVar+"="+o.Version, "-o", dir+string(filepath.Separator))
	for _, p := range pkgs {
		args = append(args, p.Command)
	}
	cmd := exec.CommandContext(ctx, "go", args...) //nolint:gosec // go build of the repository's own commands
	cmd.Dir = o.Root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	if out, err := cmd.CombinedOutput(); err != nil {
		return errors.Wrapf(err, "cannot build the binaries for linux/%s: %s", arch, out)
	}
	return nil
}

// image writes the runtime image of a as a tarball.
func (o Options) image(a *Artifact, ca []byte) error {
	p := a.Package
	img, err := RuntimeImage(ImageOptions{
		Binary:       a.Binary,
		Name:         p.Binary,
		Arch:         a.Arch,
		CACerts:      ca,
		Created:      o.Source.Time,
		Labels:       o.labels(p),
		ExposedPorts: p.ExposedPorts,
	})
	if err != nil {
		return errors.Wrapf(err, "cannot build the runtime image of %s", p.Name)
	}
	tag, err := name.NewTag(p.Name + ":" + o.Version)
	if err != nil {
		return errors.Wrapf(err, "cannot tag the runtime image of %s", p.Name)
	}
	if err := os.MkdirAll(filepath.Dir(a.Image), 0o750); err != nil {
		return errors.Wrap(err, "cannot create image directory")
	}
	if err := tarball.WriteToFile(a.Image, tag, img); err != nil {
		return errors.Wrapf(err, "cannot write %s", a.Image)
	}
	d, err := img.Digest()
	a.ImageDigest = d.String()
	return errors.Wrap(err, "cannot compute image digest")
}

// labels returns the OCI annotations peers set on their images.
func (o Options) labels(p Package) map[string]string {
	return map[string]string{
		"org.opencontainers.image.title":       p.Name,
		"org.opencontainers.image.description": p.Description,
		"org.opencontainers.image.source":      Source,
		"org.opencontainers.image.url":         Source,
		"org.opencontainers.image.version":     o.Version,
		"org.opencontainers.image.revision":    o.Source.Revision,
		"org.opencontainers.image.created":     o.Source.Time.UTC().Format(time.RFC3339),
		"org.opencontainers.image.licenses":    "Apache-2.0",
		"org.opencontainers.image.vendor":      "The egresskit Authors",
	}
}

// xpkg builds the package of a with the Crossplane CLI, embedding its
// runtime image.
func (o Options) xpkg(ctx context.Context, a *Artifact) error {
	if err := os.MkdirAll(filepath.Dir(a.Xpkg), 0o750); err != nil {
		return errors.Wrap(err, "cannot create package directory")
	}
	//nolint:gosec // the Crossplane CLI on the repository's own package
	cmd := exec.CommandContext(ctx, o.Crank, "xpkg", "build",
		"--package-root="+a.Package.Root,
		"--examples-root="+a.Package.Examples,
		"--embed-runtime-image-tarball="+a.Image,
		"--package-file="+a.Xpkg)
	cmd.Dir = o.Root
	if out, err := cmd.CombinedOutput(); err != nil {
		return errors.Wrapf(err, "cannot build package %s: %s", a.Package.Name, out)
	}
	img, err := tarball.ImageFromPath(a.Xpkg, nil)
	if err != nil {
		return errors.Wrapf(err, "cannot read %s", a.Xpkg)
	}
	d, err := img.Digest()
	a.XpkgDigest = d.String()
	return errors.Wrap(err, "cannot compute package digest")
}

// Describe returns the commit HEAD of the repository at root, or, outside
// git, the zero commit at SOURCE_DATE_EPOCH (or 0).
func Describe(ctx context.Context, root string) (Commit, error) {
	out, err := exec.CommandContext(ctx, "git", "-C", root, "log", "-1", "--format=%H %ct").Output() //nolint:gosec // git of the repository

	if err != nil {
		sec, _ := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64)
		return Commit{Time: time.Unix(sec, 0).UTC()}, nil //nolint:nilerr // not a git checkout: a source tarball
	}
	f := strings.Fields(string(out))
	if len(f) != 2 {
		return Commit{}, errors.Errorf("cannot parse git log output %q", out)
	}
	sec, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return Commit{}, errors.Wrap(err, "cannot parse commit time")
	}
	return Commit{Revision: f[0], Time: time.Unix(sec, 0).UTC()}, nil
}
