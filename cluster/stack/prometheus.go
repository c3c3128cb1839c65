// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package stack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/cluster/local"
)

// RulesFile is the alerting rules file the examples ship, relative to the
// repository root.
const RulesFile = "examples/monitoring/rules.yaml"

// PrometheusOptions configure a Prometheus server process.
type PrometheusOptions struct {
	// Binary is the prometheus command, as cluster/tools builds it.
	// Required.
	Binary string

	// Targets are the host:port addresses scraped at /metrics.
	Targets []string

	// RuleFiles are loaded as rule files.
	RuleFiles []string

	// Interval is how often targets are scraped and rules evaluated. Zero
	// means one second.
	Interval time.Duration

	// Dir holds prometheus.yml and the TSDB. Required.
	Dir string

	// LogDir holds prometheus.log.
	LogDir string
}

// A Prometheus is a Prometheus server serving its HTTP API on a loopback
// port.
type Prometheus struct {
	// Process is the prometheus process.
	Process *local.Process
	// URL is the server's address, e.g. http://127.0.0.1:9090.
	URL string
	// API is a client of its HTTP API.
	API promv1.API
}

// config returns prometheus.yml for o.
func (o PrometheusOptions) config() string {
	iv := o.Interval
	if iv == 0 {
		iv = time.Second
	}
	var b strings.Builder
	fmt.Fprintf(&b, "global:\n  scrape_interval: %s\n  evaluation_interval: %s\n", model.Duration(iv), model.Duration(iv))
	b.WriteString("rule_files:\n")
	for _, f := range o.RuleFiles {
		fmt.Fprintf(&b, "  - %q\n", f)
	}
	b.WriteString("scrape_configs:\n  - job_name: provider\n    static_configs:\n      - targets:\n")
	for _, t := range o.Targets {
		fmt.Fprintf(&b, "          - %q\n", t)
	}
	return b.String()
}

// StartPrometheus writes the configuration of o, starts Prometheus on a free
// loopback port and waits until it is ready.
func StartPrometheus(ctx context.Context, o PrometheusOptions) (*Prometheus, error) {
	cfg := filepath.Join(o.Dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte(o.config()), 0o600); err != nil {
		return nil, errors.Wrap(err, "cannot write prometheus.yml")
	}
	port, err := local.FreePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	p, err := local.StartProcess(local.ProcessOptions{
		Name: "prometheus",
		Path: o.Binary,
		Args: []string{
			"--config.file=" + cfg,
			"--storage.tsdb.path=" + filepath.Join(o.Dir, "data"),
			"--web.listen-address=" + addr,
		},
		Dir:    o.Dir,
		LogDir: o.LogDir,
	})
	if err != nil {
		return nil, err
	}
	url := "http://" + addr
	if err := p.WaitReady(ctx, time.Minute, local.HTTPProbe(nil, url+"/-/ready")); err != nil {
		_ = p.Kill()
		return nil, errors.Wrap(err, "cannot start Prometheus")
	}
	c, err := api.NewClient(api.Config{Address: url})
	if err != nil {
		_ = p.Kill()
		return nil, errors.Wrap(err, "cannot make a Prometheus API client")
	}
	return &Prometheus{Process: p, URL: url, API: promv1.NewAPI(c)}, nil
}

// StartPrometheus starts a Prometheus, built by cluster/tools, that scrapes
// the stack's provider every interval and evaluates RulesFile, with its
// configuration, data and log in dir. The provider must serve metrics
// (Options.Metrics).
func (s *Stack) StartPrometheus(ctx context.Context, dir string, interval time.Duration) (*Prometheus, error) {
	if s.Provider == nil || s.Provider.MetricsURL == "" {
		return nil, errors.New("cannot scrape the provider: start the stack with Metrics")
	}
	tools, err := local.FindTools(ctx, s.progress, local.ToolsPrometheus)
	if err != nil {
		return nil, err
	}
	root, err := local.RepoRoot()
	if err != nil {
		return nil, err
	}
	return StartPrometheus(ctx, PrometheusOptions{
		Binary:    tools.Path(local.BinPrometheus),
		Targets:   []string{strings.TrimPrefix(s.Provider.MetricsURL, "http://")},
		RuleFiles: []string{filepath.Join(root, RulesFile)},
		Interval:  interval,
		Dir:       dir,
		LogDir:    dir,
	})
}

// Query returns the instant vector expr evaluates to now.
func (p *Prometheus) Query(ctx context.Context, expr string) (model.Vector, error) {
	v, _, err := p.API.Query(ctx, expr, time.Now())
	if err != nil {
		return nil, errors.Wrapf(err, "cannot query Prometheus for %s", expr)
	}
	vec, ok := v.(model.Vector)
	if !ok {
		return nil, errors.Errorf("query %s returned a %s, not an instant vector", expr, v.Type())
	}
	return vec, nil
}

// Scalar returns the value of expr, which must evaluate to one sample now.
func (p *Prometheus) Scalar(ctx context.Context, expr string) (float64, error) {
	vec, err := p.Query(ctx, expr)
	if err != nil {
		return 0, err
	}
	if len(vec) != 1 {
		return 0, errors.Errorf("query %s returned %d samples, want 1", expr, len(vec))
	}
	return float64(vec[0].Value), nil
}

// AlertState returns the state of the alert name whose labels include
// match: pending, firing, or "" when it is inactive.
func (p *Prometheus) AlertState(ctx context.Context, name string, match map[string]string) (string, error) {
	res, err := p.API.Alerts(ctx)
	if err != nil {
		return "", errors.Wrap(err, "cannot list Prometheus's alerts")
	}
	for _, a := range res.Alerts {
		if string(a.Labels[model.AlertNameLabel]) != name || !hasLabels(a.Labels, match) {
			continue
		}
		return string(a.State), nil
	}
	return "", nil
}

func hasLabels(ls model.LabelSet, match map[string]string) bool {
	for k, v := range match {
		if string(ls[model.LabelName(k)]) != v {
			return false
		}
	}
	return true
}
