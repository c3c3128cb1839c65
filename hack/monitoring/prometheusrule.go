// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"errors"
	"strings"
)

// prometheusRuleHeader starts the PrometheusRule; the rules file's groups
// follow as its spec.
const prometheusRuleHeader = `# Generated from rules.yaml by hack/monitoring (make generate): edit rules.yaml.
# The alerts of rules.yaml for the Prometheus Operator. Its ruleSelector must
# select the labels below; each alert links to its section of docs/runbook.md.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: egresskit
  namespace: crossplane-system
  labels:
    app.kubernetes.io/name: egresskit
    app.kubernetes.io/component: alerts
spec:
`

// prometheusRule returns rules (a Prometheus rules file) as a
// PrometheusRule. The groups are copied line by line, so that the two files
// read alike, comments and block scalars included; the file's leading
// comments are left out.
func prometheusRule(rules []byte) ([]byte, error) {
	lines := strings.Split(strings.TrimRight(string(rules), "\n"), "\n")
	start := -1
	for i, l := range lines {
		if l == "groups:" {
			start = i
			break
		}
		if l != "" && !strings.HasPrefix(l, "#") {
			break
		}
	}
	if start < 0 {
		return nil, errors.New("the rules file must start with comments and a top-level groups: key")
	}
	var b bytes.Buffer
	b.WriteString(prometheusRuleHeader)
	for _, l := range lines[start:] {
		if l != "" {
			b.WriteString("  ")
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}
