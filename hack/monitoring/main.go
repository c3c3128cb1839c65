// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Command monitoring generates what examples/monitoring holds besides the
// rules file: the Grafana dashboard, from Go with grafana-foundation-sdk, and
// the PrometheusRule, from rules.yaml. Run it with `make generate`.
package main

//go:generate go run . -dir ../../examples/monitoring

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// Files of the monitoring examples.
const (
	rulesFile          = "rules.yaml"
	prometheusRuleFile = "prometheusrule.yaml"
	dashboardFile      = "dashboard.json"
)

func main() {
	dir := flag.String("dir", "examples/monitoring", "Directory of the monitoring examples: rules.yaml is read from it, the generated files are written to it.")
	flag.Parse()
	if err := generate(*dir); err != nil {
		fmt.Fprintf(os.Stderr, "monitoring: %v\n", err)
		os.Exit(1)
	}
}

// generate writes the dashboard and the PrometheusRule into dir.
func generate(dir string) error {
	files, err := render(dir)
	if err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil { //nolint:gosec // examples are meant to be read
			return fmt.Errorf("cannot write %s: %w", name, err)
		}
	}
	return nil
}

// render returns the generated files of dir, by name.
func render(dir string) (map[string][]byte, error) {
	rules, err := os.ReadFile(filepath.Join(dir, rulesFile)) //nolint:gosec // the directory is the generator's own argument
	if err != nil {
		return nil, fmt.Errorf("cannot read the rules: %w", err)
	}
	pr, err := prometheusRule(rules)
	if err != nil {
		return nil, err
	}
	db, err := dashboardJSON()
	if err != nil {
		return nil, err
	}
	return map[string][]byte{prometheusRuleFile: pr, dashboardFile: db}, nil
}
