// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// Tool groups, as built by cluster/tools/build.sh.
const (
	// ToolsKube is etcd, kube-apiserver and kube-controller-manager.
	ToolsKube = "kube"
	// ToolsCrossplane is Crossplane core and its CRDs.
	ToolsCrossplane = "crossplane"
	// ToolsCrank is crank, the `crossplane render` CLI.
	ToolsCrank = "crank"
	// ToolsPrometheus is the Prometheus server and promtool.
	ToolsPrometheus = "prometheus"
)

// Environment variables that point FindTools at prebuilt tools.
const (
	// EnvToolsBin names a directory holding the tool binaries. When set,
	// nothing is built.
	EnvToolsBin = "EGRESSKIT_TOOLS_BIN"
	// EnvCrossplaneCRDs names the directory of Crossplane's CRDs. It
	// defaults to crossplane-crds next to the bin directory.
	EnvCrossplaneCRDs = "EGRESSKIT_CROSSPLANE_CRDS"
)

// ModulePath is the path of this project's Go module; RepoRoot looks for it.
const ModulePath = "github.com/egresskit/provider-aws-egress"

// buildScript is the tools build entry point, relative to the repository.
const buildScript = "cluster/tools/build.sh"

// Binary names.
const (
	BinEtcd              = "etcd"
	BinKubeAPIServer     = "kube-apiserver"
	BinControllerManager = "kube-controller-manager"
	BinCrossplane        = "crossplane"
	BinCrank             = "crank"
	BinPrometheus        = "prometheus"
	BinPromtool          = "promtool"
)

// groupBinaries returns the binaries of a tools group, and false for an
// unknown group.
func groupBinaries(group string) ([]string, bool) {
	switch group {
	case ToolsKube:
		return []string{BinEtcd, BinKubeAPIServer, BinControllerManager}, true
	case ToolsCrossplane:
		return []string{BinCrossplane}, true
	case ToolsCrank:
		return []string{BinCrank}, true
	case ToolsPrometheus:
		return []string{BinPrometheus, BinPromtool}, true
	}
	return nil, false
}

// Tools locates the tool binaries and Crossplane's CRDs.
type Tools struct {
	// BinDir holds the binaries, by their plain names.
	BinDir string
	// CrossplaneCRDs is the directory of Crossplane core's CRD files.
	CrossplaneCRDs string
}

// Path returns the path of a binary.
func (t Tools) Path(name string) string { return filepath.Join(t.BinDir, name) }

// check returns an error naming every binary of groups missing from BinDir.
func (t Tools) check(groups ...string) error {
	var missing []string
	for _, g := range groups {
		bins, _ := groupBinaries(g)
		for _, b := range bins {
			if fi, err := os.Stat(t.Path(b)); err != nil || fi.IsDir() {
				missing = append(missing, b)
			}
		}
		if g == ToolsCrossplane {
			if fi, err := os.Stat(t.CrossplaneCRDs); err != nil || !fi.IsDir() {
				missing = append(missing, "Crossplane CRDs ("+t.CrossplaneCRDs+")")
			}
		}
	}
	if len(missing) > 0 {
		return errors.Errorf("cannot find %s in %s", strings.Join(missing, ", "), t.BinDir)
	}
	return nil
}

// built remembers the groups built by this process and where their tools
// are.
//
//nolint:gochecknoglobals // The tools are built at most once per process.
var built struct {
	sync.Mutex

	tools  Tools
	groups map[string]bool
}

// FindTools returns the tools of the given groups (ToolsKube,
// ToolsCrossplane, ToolsCrank, ToolsPrometheus).
//
// With EGRESSKIT_TOOLS_BIN set it only checks that directory. Otherwise it
// runs cluster/tools/build.sh for the groups in the repository that holds
// the working directory; the script returns at once when the cache is up to
// date, and builds (minutes on 2 cores) when it is not. Build progress goes
// to progress; nil means os.Stderr.
func FindTools(ctx context.Context, progress io.Writer, groups ...string) (Tools, error) {
	for _, g := range groups {
		if _, ok := groupBinaries(g); !ok {
			return Tools{}, errors.Errorf("cannot find tools: unknown group %q (want %s, %s, %s or %s)", g, ToolsKube, ToolsCrossplane, ToolsCrank, ToolsPrometheus)
		}
	}

	if bin := os.Getenv(EnvToolsBin); bin != "" {
		t := Tools{BinDir: bin, CrossplaneCRDs: crdsDir(bin)}
		if err := t.check(groups...); err != nil {
			return Tools{}, errors.Wrapf(err, "%s is set: point it at a directory built by %s %s (.cache/tools/bin), or unset it", EnvToolsBin, buildScript, strings.Join(groups, " "))
		}
		return t, nil
	}

	built.Lock()
	defer built.Unlock()
	if built.groups == nil {
		built.groups = map[string]bool{}
	}
	var todo []string
	for _, g := range groups {
		if !built.groups[g] {
			todo = append(todo, g)
		}
	}
	if len(todo) == 0 {
		return built.tools, nil
	}

	root, err := RepoRoot()
	if err != nil {
		return Tools{}, errors.Wrapf(err, "cannot find tools: set %s or run from the repository", EnvToolsBin)
	}
	if progress == nil {
		progress = os.Stderr
	}
	script := filepath.Join(root, buildScript)
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "bash", append([]string{script}, todo...)...) //nolint:gosec // our own script
	cmd.Dir = root
	cmd.Stdout = &out
	cmd.Stderr = progress
	if err := cmd.Run(); err != nil {
		return Tools{}, errors.Wrapf(err, "cannot build tools; run %s %s to see why", buildScript, strings.Join(todo, " "))
	}
	bin := strings.TrimSpace(lastLine(out.String()))
	t := Tools{BinDir: bin, CrossplaneCRDs: crdsDir(bin)}
	if err := t.check(todo...); err != nil {
		return Tools{}, errors.Wrapf(err, "%s succeeded but", buildScript)
	}
	for _, g := range todo {
		built.groups[g] = true
	}
	built.tools = t
	return t, nil
}

func crdsDir(bin string) string {
	if d := os.Getenv(EnvCrossplaneCRDs); d != "" {
		return d
	}
	return filepath.Join(filepath.Dir(filepath.Clean(bin)), "crossplane-crds")
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// RepoRoot returns the directory of this project's go.mod, found by walking
// up from the working directory.
func RepoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", errors.Wrap(err, "cannot get working directory")
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if modulePath(filepath.Join(dir, "go.mod")) == ModulePath {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", errors.Errorf("cannot find the go.mod of %s in %s or above", ModulePath, wd)
		}
	}
}

// modulePath returns the module path declared in a go.mod file, or "".
func modulePath(gomod string) string {
	f, err := os.Open(gomod) //nolint:gosec // reading go.mod files is the point
	if err != nil {
		return ""
	}
	defer f.Close() //nolint:errcheck // read only
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) >= 2 && fields[0] == "module" {
			return strings.Trim(fields[1], `"`)
		}
	}
	return ""
}
