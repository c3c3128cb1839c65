// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package crd

import (
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"

	"github.com/egresskit/provider-aws-egress/cluster/local"
)

// TestRules creates and updates good and bad objects of every kind, then
// checks that every CEL rule of the CRDs was broken by a case: it fails for
// each rule whose message the API server never answered.
func TestRules(t *testing.T) {
	t.Run("Create", testCreate)
	t.Run("CreateCredentials", testCreateCredentials)
	t.Run("Update", testUpdate)
	t.Run("EveryRuleHasACase", testEveryRuleHasACase)
}

func testEveryRuleHasACase(t *testing.T) {
	crds, err := local.ReadCRDs(crdDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, crd := range crds {
		kind := crd.Spec.Names.Kind
		for _, v := range crd.Spec.Versions {
			for _, msg := range messages(v.Schema.OpenAPIV3Schema) {
				if !anyContains(refusals[kind], msg) {
					t.Errorf("%s: no case breaks the rule with message %q", kind, msg)
				}
			}
		}
	}
}

// messages returns the messages of the CEL rules in s and below.
func messages(s *apiextensionsv1.JSONSchemaProps) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, r := range s.XValidations {
		out = append(out, r.Message)
	}
	for _, p := range s.Properties {
		out = append(out, messages(&p)...)
	}
	if s.Items != nil {
		out = append(out, messages(s.Items.Schema)...)
	}
	if s.AdditionalProperties != nil {
		out = append(out, messages(s.AdditionalProperties.Schema)...)
	}
	return out
}

func anyContains(ss []string, part string) bool {
	for _, s := range ss {
		if strings.Contains(s, part) {
			return true
		}
	}
	return false
}
