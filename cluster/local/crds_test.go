// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const crdWidgets = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.egresskit.io
spec:
  group: example.egresskit.io
  names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`

const crdGadgets = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.egresskit.io
spec:
  group: example.egresskit.io
  names: {kind: Gadget, listKind: GadgetList, plural: gadgets, singular: gadget}
  scope: Cluster
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`

func TestCRDNames(t *testing.T) {
	cases := map[string]struct {
		reason  string
		files   map[string]string
		want    []string
		wantErr string
	}{
		"OnePerFile": {
			reason: "Every YAML file's CRD is found, sorted by name; other files are ignored.",
			files:  map[string]string{"a.yaml": crdWidgets, "b.yml": crdGadgets, "README.md": "# not a CRD"},
			want:   []string{"gadgets.example.egresskit.io", "widgets.example.egresskit.io"},
		},
		"SeveralPerFile": {
			reason: "A multi-document file may hold several CRDs and empty documents.",
			files:  map[string]string{"all.yaml": "---\n" + crdWidgets + "---\n" + crdGadgets + "---\n"},
			want:   []string{"gadgets.example.egresskit.io", "widgets.example.egresskit.io"},
		},
		"OtherKind": {
			reason:  "A document that is no CRD is an error, not silently skipped.",
			files:   map[string]string{"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"},
			wantErr: `cannot read DIR/cm.yaml: want named CustomResourceDefinitions, found kind "ConfigMap" name "x"`,
		},
		"Empty": {
			reason:  "A directory without CRDs is an error.",
			files:   map[string]string{},
			wantErr: "cannot find any CustomResourceDefinition in DIR",
		},
		"Malformed": {
			reason:  "Malformed YAML names the file.",
			files:   map[string]string{"bad.yaml": "kind: [\n"},
			wantErr: "cannot decode DIR/bad.yaml: error converting YAML to JSON: yaml: line 1: did not find expected node content",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			for f, data := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, f), []byte(data), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, err := CRDNames(dir)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			wantErr := ""
			if tc.wantErr != "" {
				wantErr = strings.ReplaceAll(tc.wantErr, "DIR", dir)
			}
			if diff := cmp.Diff(wantErr, gotErr); diff != "" {
				t.Errorf("%s\nCRDNames(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nCRDNames(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
