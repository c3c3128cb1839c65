// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Command xpkg builds the runtime images and Crossplane packages of
// provider-aws-egress and function-egress for every architecture, with no
// Docker, and pushes them to a registry when asked:
//
//	go run ./cluster/xpkg -version v0.1.0 [-out _output] [-arch amd64,arm64] [-push registry.example.com/egresskit]
//
// The .xpkg files go to <out>/xpkg/<package>-<version>-<arch>.xpkg, the
// runtime images (docker save tarballs) to <out>/images.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/internal/packaging"
)

func main() {
	out := flag.String("out", "_output", "Directory of the binaries, images and packages.")
	version := flag.String("version", "", "Version of the build: the packages' tag and the binaries' version. Required.")
	arches := flag.String("arch", strings.Join(packaging.DefaultArches, ","), "Comma-separated linux architectures to build.")
	push := flag.String("push", "", "Registry and organisation (host[:port]/org) to push the packages to; empty pushes nothing.")
	flag.Parse()
	if *version == "" {
		fmt.Fprintln(os.Stderr, "xpkg: -version is required")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, *out, *version, strings.Split(*arches, ","), *push)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "xpkg:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out, version string, arches []string, registry string) error {
	root, err := local.RepoRoot()
	if err != nil {
		return err
	}
	tools, err := local.FindTools(ctx, os.Stderr, local.ToolsCrank)
	if err != nil {
		return err
	}
	commit, err := packaging.Describe(ctx, root)
	if err != nil {
		return err
	}
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out)
	}
	artifacts, err := packaging.Build(ctx, packaging.Options{
		Root:    root,
		Out:     out,
		Version: version,
		Source:  commit,
		Arches:  arches,
		Crank:   tools.Path(local.BinCrank),
	})
	if err != nil {
		return err
	}
	for _, a := range artifacts {
		fmt.Printf("%s\n  image   %s %s (%s)\n  package %s %s (%s)\n", //nolint:forbidigo // the command's report
			a.Package.Name+" linux/"+a.Arch, rel(root, a.Image), a.ImageDigest, size(a.Image),
			rel(root, a.Xpkg), a.XpkgDigest, size(a.Xpkg))
	}
	if registry == "" {
		return nil
	}
	refs, err := packaging.Push(ctx, tools.Path(local.BinCrank), registry, version, artifacts)
	if err != nil {
		return err
	}
	for _, p := range packaging.Packages() {
		fmt.Printf("pushed %s\n", refs[p.Name]) //nolint:forbidigo // the command's report
	}
	return nil
}

func rel(root, path string) string {
	if r, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

func size(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "?"
	}
	return fmt.Sprintf("%.1f MB", float64(fi.Size())/1e6)
}
