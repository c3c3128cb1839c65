// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"encoding/json"
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// Where the dashboard links to.
const (
	runbookURL = "https://github.com/egresskit/provider-aws-egress/blob/main/docs/runbook.md"
	metricsURL = "https://github.com/egresskit/provider-aws-egress/blob/main/docs/metrics.md"
)

// natGatewayGVK selects crossplane-runtime's state metrics of NATGateways.
const natGatewayGVK = `gvk="ec2.aws.m.egresskit.io/v1alpha1, Kind=NATGateway"`

// Panel sizes, in grid units (24 wide).
const (
	fullWidth  = 24
	halfWidth  = 12
	thirdWidth = 8
	height     = 8
	statHeight = 4
)

// datasource is the dashboard's Prometheus, chosen with its datasource
// variable.
func datasource() common.DataSourceRef {
	return common.DataSourceRef{Type: cog.ToPtr("prometheus"), Uid: cog.ToPtr("${datasource}")}
}

// query is a Prometheus range query with a legend.
func query(expr, legend string) *prometheus.DataqueryBuilder {
	return prometheus.NewDataqueryBuilder().Expr(expr).LegendFormat(legend).Range()
}

// series is a time series panel of queries.
func series(title, description, unit string, width uint32, queries ...*prometheus.DataqueryBuilder) *timeseries.PanelBuilder {
	p := timeseries.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(datasource()).
		Unit(unit).
		Min(0).
		Span(width).
		Height(height).
		Legend(common.NewVizLegendOptionsBuilder().DisplayMode(common.LegendDisplayModeList).Placement(common.LegendPlacementBottom).ShowLegend(true))
	for _, q := range queries {
		p = p.WithTarget(q)
	}
	return p
}

// bars is a series panel drawn as stacked bars: events per interval.
func bars(title, description string, width uint32, queries ...*prometheus.DataqueryBuilder) *timeseries.PanelBuilder {
	return series(title, description, "short", width, queries...).
		DrawStyle(common.GraphDrawStyleBars).
		FillOpacity(80).
		Stacking(common.NewStackingConfigBuilder().Mode(common.StackingModeNormal))
}

// single is a stat panel of one instant value, red at alert and above.
func single(title, description, unit, expr string, alert float64) *stat.PanelBuilder {
	return stat.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(datasource()).
		Unit(unit).
		Span(thirdWidth).
		Height(statHeight).
		GraphMode(common.BigValueGraphModeArea).
		ColorMode(common.BigValueColorModeBackground).
		Thresholds(dashboard.NewThresholdsConfigBuilder().Mode(dashboard.ThresholdsModeAbsolute).Steps([]dashboard.Threshold{
			{Color: "green"},
			{Value: cog.ToPtr(alert), Color: "red"},
		})).
		WithTarget(prometheus.NewDataqueryBuilder().Expr(expr).Instant())
}

// newDashboard builds the egresskit dashboard. It is a classic dashboard,
// which every Grafana imports; the SDK's dashboardv2 needs Grafana's v2
// dashboard API.
//
//nolint:staticcheck // See above: the classic dashboard model on purpose.
func newDashboard() *dashboard.DashboardBuilder {
	return dashboard.NewDashboardBuilder("egresskit").
		Uid("egresskit").
		Description("NAT gateway healing, the NAT gateway inventory and EC2 calls of egresskit's provider. Metrics: docs/metrics.md; alerts: examples/monitoring/rules.yaml.").
		Tags([]string{"egresskit", "crossplane", "aws"}).
		Refresh("30s").
		Time("now-6h", "now").
		Timezone(common.TimeZoneBrowser).
		Tooltip(dashboard.DashboardCursorSyncCrosshair).
		Link(dashboard.NewDashboardLinkBuilder("Runbook").Type(dashboard.DashboardLinkTypeLink).Url(runbookURL).TargetBlank(true)).
		Link(dashboard.NewDashboardLinkBuilder("Metrics").Type(dashboard.DashboardLinkTypeLink).Url(metricsURL).TargetBlank(true)).
		WithVariable(dashboard.NewDatasourceVariableBuilder("datasource").Label("Prometheus").Type("prometheus")).
		WithRow(dashboard.NewRowBuilder("Healing")).
		WithPanel(single("NATGateways not Ready", "NATGateways without Ready=True now. EgressKitNATGatewayNotReady fires when any stays so for 10 minutes.", "short",
			fmt.Sprintf("sum(crossplane_managed_resource_exists{%[1]s}) - sum(crossplane_managed_resource_ready{%[1]s})", natGatewayGVK), 1)).
		WithPanel(single("Awaiting a replacement", "NATGateways whose gateway was found gone and whose replacement is not available yet.", "short",
			"sum(egresskit_natgateway_awaiting_replacement) or vector(0)", 1)).
		WithPanel(single("Longest wait for a replacement", "Since the gateway of the longest waiting NATGateway was found gone. EgressKitNATGatewayReplacementNotAvailable fires above 10 minutes.", "s",
			"max(egresskit_natgateway_awaiting_replacement_max_seconds) or vector(0)", 600)).
		WithPanel(bars("Healing events", "NAT gateways recreated, by the state the old one was found in, and Elastic IPs reallocated after a release outside Crossplane.", fullWidth,
			query("sum by (reason) (increase(egresskit_natgateway_recreations_total[$__interval]))", "NAT gateway {{reason}}"),
			query("sum(increase(egresskit_elasticip_reallocations_total[$__interval]))", "Elastic IP reallocated"))).
		WithPanel(series("Replacement latency", "From the first observation of a gateway gone to its replacement requested and to it available (p50 and p95 over the range of each point).", "s", halfWidth,
			query("histogram_quantile(0.95, sum by (le) (rate(egresskit_natgateway_healing_available_seconds_bucket[$__rate_interval])))", "available p95"),
			query("histogram_quantile(0.5, sum by (le) (rate(egresskit_natgateway_healing_available_seconds_bucket[$__rate_interval])))", "available p50"),
			query("histogram_quantile(0.95, sum by (le) (rate(egresskit_natgateway_healing_request_seconds_bucket[$__rate_interval])))", "requested p95"))).
		WithPanel(series("Detection latency", "From the deletion EC2 reports (deleteTime) to the first observation of the gateway deleted (p95), and the age of the latest listing of each account and region, which bounds it.", "s", halfWidth,
			query("histogram_quantile(0.95, sum by (le) (rate(egresskit_natgateway_healing_detection_seconds_bucket[$__rate_interval])))", "detected p95"),
			query("max by (account, region) (egresskit_natinventory_listing_age_seconds)", "listing age {{account}} {{region}}"))).
		WithRow(dashboard.NewRowBuilder("Gateways")).
		WithPanel(series("Gateways by state", "NAT gateways of the latest listing of every account and region, by EC2 state. Deleted gateways stay listed for about an hour.", "short", halfWidth,
			query("sum by (state) (egresskit_natinventory_gateways)", "{{state}}")).
			Stacking(common.NewStackingConfigBuilder().Mode(common.StackingModeNormal))).
		WithPanel(series("NATGateways", "NATGateway managed resources, and those Ready and Synced.", "short", halfWidth,
			query(fmt.Sprintf("sum(crossplane_managed_resource_exists{%s})", natGatewayGVK), "exist"),
			query(fmt.Sprintf("sum(crossplane_managed_resource_ready{%s})", natGatewayGVK), "Ready"),
			query(fmt.Sprintf("sum(crossplane_managed_resource_synced{%s})", natGatewayGVK), "Synced"))).
		WithPanel(series("Inventory listing duration", "p95 of the time one listing of an account and region takes.", "s", halfWidth,
			query("histogram_quantile(0.95, sum by (le, account, region) (rate(egresskit_natinventory_listing_duration_seconds_bucket[$__rate_interval])))", "{{account}} {{region}}"))).
		WithPanel(series("Inventory listing errors", "Failed listings per second, by EC2 error code.", "reqps", halfWidth,
			query("sum by (account, region, code) (rate(egresskit_natinventory_listing_errors_total[$__rate_interval]))", "{{account}} {{region}} {{code}}"))).
		WithRow(dashboard.NewRowBuilder("EC2")).
		WithPanel(series("EC2 calls by account and region", "EC2 requests per second by provider config (an account) and region, and by result: OK, an EC2 error code, or NoResponse.", "reqps", halfWidth,
			query("sum by (providerconfig, region, code) (rate(egresskit_ec2_api_requests_total[$__rate_interval]))", "{{providerconfig}} {{region}} {{code}}"))).
		WithPanel(series("EC2 calls refused", "Requests EC2 throttled (RequestLimitExceeded) or refused the credentials of (AuthFailure, RequestExpired), per second.", "reqps", halfWidth,
			query(`sum by (providerconfig, region, code) (rate(egresskit_ec2_api_requests_total{code=~"RequestLimitExceeded|Throttling|AuthFailure|RequestExpired"}[$__rate_interval]))`, "{{providerconfig}} {{region}} {{code}}"))).
		WithPanel(series("Budget waits by region", "Seconds per second that requests waited for the --ec2-api-budget, by region and EC2 request bucket.", "s", halfWidth,
			query("sum by (region, bucket) (rate(egresskit_ec2_api_budget_wait_seconds_sum[$__rate_interval]))", "{{region}} {{bucket}}"))).
		WithPanel(series("Requests waiting for the budget", "Requests per second that found their bucket of the --ec2-api-budget empty, by region and bucket.", "reqps", halfWidth,
			query("sum by (region, bucket) (rate(egresskit_ec2_api_budget_wait_seconds_count[$__rate_interval]))", "{{region}} {{bucket}}")))
}

// dashboardJSON returns the dashboard as indented JSON.
func dashboardJSON() ([]byte, error) {
	d, err := newDashboard().Build()
	if err != nil {
		return nil, fmt.Errorf("cannot build the dashboard: %w", err)
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cannot write the dashboard as JSON: %w", err)
	}
	return append(b, '\n'), nil
}
