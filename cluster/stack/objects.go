// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package stack

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/apis"
	"github.com/egresskit/provider-aws-egress/cluster/local"
)

// NewScheme returns a scheme with Kubernetes' built-in kinds, CRDs and the
// provider's kinds.
func NewScheme() (*runtime.Scheme, error) {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{clientgoscheme.AddToScheme, apiextensionsv1.AddToScheme, apis.AddToScheme} {
		if err := add(s); err != nil {
			return nil, errors.Wrap(err, "cannot build scheme")
		}
	}
	return s, nil
}

// ReadObjects decodes the YAML documents of a file into typed objects of
// scheme, in their order. A relative path is taken from the repository
// root, e.g. examples/provider/egress.yaml.
func ReadObjects(s *runtime.Scheme, path string) ([]client.Object, error) {
	if !filepath.IsAbs(path) {
		root, err := local.RepoRoot()
		if err != nil {
			return nil, err
		}
		path = filepath.Join(root, path)
	}
	data, err := os.ReadFile(path) //nolint:gosec // reading the given file is the point
	if err != nil {
		return nil, errors.Wrap(err, "cannot read objects")
	}
	decode := serializer.NewCodecFactory(s, serializer.EnableStrict).UniversalDeserializer().Decode
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var objs []client.Object
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errors.Wrapf(err, "cannot read a YAML document of %s", path)
		}
		if len(bytes.TrimSpace(stripComments(doc))) == 0 {
			continue
		}
		o, _, err := decode(doc, nil, nil)
		if err != nil {
			return nil, errors.Wrapf(err, "cannot decode an object of %s", path)
		}
		co, ok := o.(client.Object)
		if !ok {
			return nil, errors.Errorf("cannot use %T of %s as an object", o, path)
		}
		objs = append(objs, co)
	}
	return objs, nil
}

// stripComments drops YAML comment lines, so a document of comments only
// counts as empty.
func stripComments(doc []byte) []byte {
	var out []byte
	for line := range bytes.Lines(doc) {
		if !bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) {
			out = append(out, line...)
		}
	}
	return out
}

// Kind returns the Go type name of o, which is its kind for the project's
// and Kubernetes' typed objects.
func Kind(o client.Object) string {
	if k := o.GetObjectKind().GroupVersionKind().Kind; k != "" {
		return k
	}
	return reflect.Indirect(reflect.ValueOf(o)).Type().Name()
}
