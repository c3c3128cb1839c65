// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package composition

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/cluster/local"
)

// readExample decodes the YAML documents of an example file, relative to
// the repository root, into unstructured objects, in their order. Documents
// holding only comments are skipped.
func readExample(path string) ([]*unstructured.Unstructured, error) {
	root, err := local.RepoRoot()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		return nil, errors.Wrapf(err, "cannot read %s", path)
	}
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var out []*unstructured.Unstructured
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, errors.Wrapf(err, "cannot read a YAML document of %s", path)
		}
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal(doc, &u.Object); err != nil {
			return nil, errors.Wrapf(err, "cannot decode a YAML document of %s", path)
		}
		if len(u.Object) == 0 {
			continue
		}
		if u.GetKind() == "" || u.GetName() == "" {
			return nil, errors.Errorf("cannot use a document of %s without kind and name", path)
		}
		out = append(out, u)
	}
}

// mustReadExample reads an example file or fails the test.
func mustReadExample(tb testing.TB, path string) []*unstructured.Unstructured {
	tb.Helper()
	objs, err := readExample(path)
	if err != nil {
		tb.Fatal(err)
	}
	return objs
}

// mustReadOne reads an example file that holds exactly one object.
func mustReadOne(tb testing.TB, path string) *unstructured.Unstructured {
	tb.Helper()
	objs := mustReadExample(tb, path)
	if len(objs) != 1 {
		tb.Fatalf("%s holds %d objects, want 1", path, len(objs))
	}
	return objs[0]
}

// toYAML renders an object for a failure message.
func toYAML(o any) string {
	b, err := yaml.Marshal(o)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
