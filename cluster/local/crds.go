// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// ReadCRDs returns the CustomResourceDefinitions in the .yaml, .yml and
// .json files of dir (not its subdirectories), sorted by name. A file may
// hold several YAML documents; documents of other kinds are an error.
func ReadCRDs(dir string) ([]*apiextensionsv1.CustomResourceDefinition, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, errors.Wrap(err, "cannot read CRD directory")
	}
	var crds []*apiextensionsv1.CustomResourceDefinition
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || ext != ".yaml" && ext != ".yml" && ext != ".json" {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path) //nolint:gosec // reading the given directory is the point
		if err != nil {
			return nil, errors.Wrap(err, "cannot read CRD file")
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
		for {
			crd := &apiextensionsv1.CustomResourceDefinition{}
			err := dec.Decode(crd)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, errors.Wrapf(err, "cannot decode %s", path)
			}
			if crd.Kind == "" && crd.Name == "" {
				continue // an empty document
			}
			if crd.Kind != "CustomResourceDefinition" || crd.Name == "" {
				return nil, errors.Errorf("cannot read %s: want named CustomResourceDefinitions, found kind %q name %q", path, crd.Kind, crd.Name)
			}
			crds = append(crds, crd)
		}
	}
	if len(crds) == 0 {
		return nil, errors.Errorf("cannot find any CustomResourceDefinition in %s", dir)
	}
	sort.Slice(crds, func(i, j int) bool { return crds[i].Name < crds[j].Name })
	return crds, nil
}

// CRDNames returns the names of the CRDs ReadCRDs finds in dir.
func CRDNames(dir string) ([]string, error) {
	crds, err := ReadCRDs(dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(crds))
	for i, crd := range crds {
		names[i] = crd.Name
	}
	return names, nil
}

// InstallCRDs creates, or updates, the CRDs in dir, as kubectl apply would
// for our purposes, and waits until all of them are Established. It returns
// their names.
func InstallCRDs(ctx context.Context, cl client.Client, timeout time.Duration, dir string) ([]string, error) {
	crds, err := ReadCRDs(dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(crds))
	for i, crd := range crds {
		names[i] = crd.Name
		err := cl.Create(ctx, crd)
		if kerrors.IsAlreadyExists(err) {
			existing := &apiextensionsv1.CustomResourceDefinition{}
			if err := cl.Get(ctx, types.NamespacedName{Name: crd.Name}, existing); err != nil {
				return nil, errors.Wrapf(err, "cannot get CRD %s", crd.Name)
			}
			crd.ResourceVersion = existing.ResourceVersion
			err = cl.Update(ctx, crd)
		}
		if err != nil {
			return nil, errors.Wrapf(err, "cannot install CRD %s", crd.Name)
		}
	}
	return names, WaitForCRDs(ctx, cl, timeout, names...)
}

// WaitForCRDs waits until the named CRDs exist and are Established.
func WaitForCRDs(ctx context.Context, cl client.Client, timeout time.Duration, names ...string) error {
	for _, name := range names {
		err := Poll(ctx, timeout, func(ctx context.Context) error {
			crd := &apiextensionsv1.CustomResourceDefinition{}
			if err := cl.Get(ctx, types.NamespacedName{Name: name}, crd); err != nil {
				return err
			}
			for _, c := range crd.Status.Conditions {
				if c.Type == apiextensionsv1.Established && c.Status == apiextensionsv1.ConditionTrue {
					return nil
				}
			}
			return errors.Errorf("CRD %s is not Established", name)
		})
		if err != nil {
			return errors.Wrapf(err, "cannot wait for CRD %s", name)
		}
	}
	return nil
}
