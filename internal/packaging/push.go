// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package packaging

import (
	"context"
	"os/exec"
	"sort"
	"strings"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// Ref returns the reference of a package version in a registry given as
// host[:port]/org.
func Ref(registry, pkg, version string) string {
	return strings.TrimSuffix(registry, "/") + "/" + pkg + ":" + version
}

// Push pushes every package of artifacts to registry (host[:port]/org) as
// registry/<package>:version with the Crossplane CLI: one image, or an
// index of one image per architecture when there are several. It returns
// the references pushed, by package name.
func Push(ctx context.Context, crank, registry, version string, artifacts []Artifact) (map[string]string, error) {
	files := map[string][]string{}
	for _, a := range artifacts {
		files[a.Package.Name] = append(files[a.Package.Name], a.Xpkg)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	refs := map[string]string{}
	for _, n := range names {
		ref := Ref(registry, n, version)
		//nolint:gosec // the Crossplane CLI pushing our own packages
		cmd := exec.CommandContext(ctx, crank, "xpkg", "push", "--package-files="+strings.Join(files[n], ","), ref)
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, errors.Wrapf(err, "cannot push %s: %s", ref, out)
		}
		refs[n] = ref
	}
	return refs, nil
}
