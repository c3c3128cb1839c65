// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"sigs.k8s.io/yaml"
)

const (
	examples = "../../examples/monitoring"
	docs     = "../../docs"
)

func TestGeneratedFilesAreCurrent(t *testing.T) {
	files, err := render(examples)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(examples, name))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s is stale, run make generate: -generated +committed:\n%s", name, diff)
		}
	}
}

func TestPrometheusRuleHoldsTheRules(t *testing.T) {
	var rules, pr struct {
		Groups []any `json:"groups"`
		Kind   string
		Spec   struct {
			Groups []any `json:"groups"`
		}
	}
	read(t, filepath.Join(examples, rulesFile), &rules)
	read(t, filepath.Join(examples, prometheusRuleFile), &pr)
	if pr.Kind != "PrometheusRule" || len(rules.Groups) == 0 {
		t.Fatalf("want a PrometheusRule of the rules' groups, got kind %q and %d groups", pr.Kind, len(rules.Groups))
	}
	if diff := cmp.Diff(rules.Groups, pr.Spec.Groups); diff != "" {
		t.Errorf("the PrometheusRule's spec.groups are not the rules file's groups: -rules +PrometheusRule:\n%s", diff)
	}
}

func TestDashboardReadsBack(t *testing.T) {
	plugins.RegisterDefaultPlugins()
	b, err := os.ReadFile(filepath.Join(examples, dashboardFile))
	if err != nil {
		t.Fatal(err)
	}
	d := &dashboard.Dashboard{} //nolint:staticcheck // The classic dashboard model, as generated.
	if err := json.Unmarshal(b, d); err != nil {
		t.Fatalf("the dashboard does not read back with grafana-foundation-sdk: %v", err)
	}
	panels := 0
	for _, p := range d.Panels {
		if p.Panel == nil {
			continue
		}
		panels++
		title := *p.Panel.Title
		if p.Panel.Datasource == nil || *p.Panel.Datasource.Uid != "${datasource}" {
			t.Errorf("panel %q does not use the datasource variable", title)
		}
		if len(p.Panel.Targets) == 0 {
			t.Errorf("panel %q has no query", title)
		}
		for _, q := range p.Panel.Targets {
			if pq, ok := q.(*prometheus.Dataquery); !ok || pq.Expr == "" {
				t.Errorf("panel %q has a query that is not a Prometheus expression: %#v", title, q)
			}
		}
	}
	if panels < 10 {
		t.Errorf("the dashboard has %d panels, want the healing, gateway, inventory and EC2 panels", panels)
	}
}

// metricName finds the provider's metric names in expressions.
var metricName = regexp.MustCompile(`\b(egresskit_[a-z0-9_]+|crossplane_managed_resource_[a-z0-9_]+)`)

func TestEveryMetricIsDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(docs, "metrics.md"))
	if err != nil {
		t.Fatal(err)
	}
	var used []string
	for _, f := range []string{rulesFile, dashboardFile} {
		b, err := os.ReadFile(filepath.Join(examples, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range metricName.FindAllString(string(b), -1) {
			for _, s := range []string{"_bucket", "_sum", "_count"} {
				m = strings.TrimSuffix(m, s)
			}
			used = append(used, m)
		}
	}
	slices.Sort(used)
	for _, m := range slices.Compact(used) {
		if !strings.Contains(string(doc), "`"+m+"`") {
			t.Errorf("%s is used by the examples but not described in docs/metrics.md", m)
		}
	}
}

func TestEveryAlertHasARunbookSection(t *testing.T) {
	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert       string
				Annotations map[string]string
			}
		}
	}
	read(t, filepath.Join(examples, rulesFile), &rules)
	book, err := os.ReadFile(filepath.Join(docs, "runbook.md"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			n++
			if !strings.Contains(string(book), "\n## "+r.Alert+"\n") {
				t.Errorf("docs/runbook.md has no section ## %s", r.Alert)
			}
			if want := runbookURL + "#" + strings.ToLower(r.Alert); r.Annotations["runbook_url"] != want {
				t.Errorf("alert %s links to %q, want %q", r.Alert, r.Annotations["runbook_url"], want)
			}
		}
	}
	if n == 0 {
		t.Error("the rules file has no alerts")
	}
}

func read(t *testing.T, path string, into any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, into); err != nil {
		t.Fatalf("cannot read %s: %v", path, err)
	}
}
