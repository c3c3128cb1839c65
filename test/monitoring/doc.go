// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package monitoring tests the alerts of examples/monitoring with a real
// Prometheus, built from its module by cluster/tools (the prometheus group):
// promtool's rule unit tests prove that each alert fires on the series that
// should fire it and stays silent otherwise, and a Prometheus server scrapes
// the provider on a local control plane while a NAT gateway is deleted out of
// band and while EC2 refuses a provider config's credentials.
package monitoring
