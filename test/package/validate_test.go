// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package pkgtest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/internal/packaging"
)

// crossplaneImage is the Crossplane package `crank beta validate` always
// loads. It is never pulled: the suite seeds the cache with the CRDs of the
// Crossplane core it runs.
const crossplaneImage = "local/crossplane:v2.4.0"

// TestExamplesValidate validates every object of examples/ with `crossplane
// beta validate` against the CRDs inside the built packages, the example
// XRDs and Crossplane's own CRDs. Only Kubernetes' built-in kinds (Secrets,
// Namespaces) and files that hold no object are left out; the API server
// checks the former where the suites apply them.
func TestExamplesValidate(t *testing.T) {
	b, err := buildPackages(t.Context(), local.TestLog(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()

	// The CRDs as the packages carry them, read back by the CLI.
	var crds []string
	for _, pkg := range []string{packaging.ProviderName, packaging.FunctionName} {
		out := filepath.Join(dir, pkg+".gz")
		cmd := exec.CommandContext(t.Context(), b.crank, "xpkg", "extract", "--from-xpkg", b.artifact(t, version1, pkg).Xpkg, "--output="+out)
		if o, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("crossplane xpkg extract of %s: %v\n%s", pkg, err, o)
		}
		for _, d := range gunzipDocs(t, out) {
			if kindOf(d) == "CustomResourceDefinition" {
				crds = append(crds, d)
			}
		}
	}
	extensions := filepath.Join(dir, "extensions.yaml")
	writeDocs(t, extensions, crds)

	// crank also validates each function input of a Composition against
	// the function package's input CRD.
	var resources, skipped []string
	inputs := 0
	err = filepath.WalkDir(filepath.Join(b.root, "examples"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(b.root, path)
		if filepath.Dir(rel) == dirMonitoring {
			// Prometheus rules, and the PrometheusRule made from them: no
			// package holds their schema, and test/monitoring checks the
			// rules with promtool.
			skipped = append(skipped, rel)
			return nil
		}
		for _, d := range yamlDocs(t, data) {
			var u struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
				Spec       struct {
					Pipeline []struct {
						Input map[string]any `json:"input"`
					} `json:"pipeline"`
				} `json:"spec"`
			}
			if yaml.Unmarshal([]byte(d), &u) != nil || u.Kind == "" {
				if strings.TrimSpace(stripYAMLComments(d)) != "" && rel != fileCrossplaneValue {
					t.Errorf("%s holds a document that is no object", rel)
				}
				continue
			}
			if u.APIVersion == "v1" {
				skipped = append(skipped, rel+": "+u.Kind)
				continue
			}
			resources = append(resources, d)
			if u.Kind == "Composition" {
				for _, step := range u.Spec.Pipeline {
					if step.Input != nil {
						inputs++
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "examples.yaml")
	writeDocs(t, file, resources)

	xrds := "examples/function/xrd.yaml,examples/function/xrd-legacy.yaml"
	cmd := exec.CommandContext(t.Context(), b.crank, "beta", "validate", extensions+","+xrds, file,
		"--cache-dir="+seedCache(t), "--crossplane-image="+crossplaneImage, "--error-on-missing-schemas")
	cmd.Dir = b.root
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "0 failure cases") {
		t.Fatalf("crossplane beta validate: %v\n%s", err, out)
	}
	ok := strings.Count(string(out), "validated successfully")
	if ok != len(resources)+inputs {
		t.Errorf("crossplane beta validate validated %d of %d objects and %d function inputs:\n%s", ok, len(resources), inputs, out)
	}
	t.Logf("crossplane beta validate: %d objects of examples/ and their %d function inputs valid against %d CRDs of the packages and the XRDs; not validated (built-in kinds and Prometheus rules): %v",
		len(resources), inputs, len(crds), skipped)
}

// seedCache writes the Crossplane package `crank beta validate` loads: the
// CRDs of the Crossplane core the suites run.
func seedCache(t *testing.T) string {
	t.Helper()
	tools, err := local.FindTools(t.Context(), local.TestLog(t), local.ToolsCrossplane)
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(tools.CrossplaneCRDs, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("cannot find Crossplane's CRDs in %s: %v", tools.CrossplaneCRDs, err)
	}
	docs := make([]string, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(data))
	}
	cache := t.TempDir()
	dir := filepath.Join(cache, strings.ReplaceAll(crossplaneImage, ":", "@"))
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	writeDocs(t, filepath.Join(dir, "package.yaml"), docs)
	return cache
}

func gunzipDocs(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("cannot read %s: %v", path, err)
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, zr); err != nil {
		t.Fatal(err)
	}
	return yamlDocs(t, buf.Bytes())
}

// yamlDocs splits a YAML stream into its documents.
func yamlDocs(t *testing.T, data []byte) []string {
	t.Helper()
	var out []string
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("cannot split YAML documents: %v", err)
		}
		out = append(out, string(doc))
	}
}

func kindOf(doc string) string {
	var u struct {
		Kind string `json:"kind"`
	}
	_ = yaml.Unmarshal([]byte(doc), &u)
	return u.Kind
}

func stripYAMLComments(doc string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func writeDocs(t *testing.T, path string, docs []string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("---\n"+strings.Join(docs, "\n---\n")), 0o600); err != nil {
		t.Fatal(err)
	}
}
