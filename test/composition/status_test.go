// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package composition

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// egressStatus is the status the function writes on an XEgress or
// XClusterEgress, and Crossplane copies to the claim (see the XRDs).
type egressStatus struct {
	Egress egressSummary `json:"egress"`
	Zones  []zoneStatus  `json:"zones"`
}

type egressSummary struct {
	Topology          string `json:"topology"`
	Connectivity      string `json:"connectivity"`
	Zones             int    `json:"zones"`
	ReadyZones        int    `json:"readyZones"`
	DegradedZones     int    `json:"degradedZones"`
	Gateways          int    `json:"gateways"`
	AvailableGateways int    `json:"availableGateways"`
}

type zoneStatus struct {
	Zone         string `json:"zone"`
	GatewayID    string `json:"gatewayId,omitempty"`
	PublicIP     string `json:"publicIp,omitempty"`
	State        string `json:"state,omitempty"`
	ServedBy     string `json:"servedBy"`
	RouteTables  int    `json:"routeTables"`
	ActiveRoutes int    `json:"activeRoutes"`
	RoutesActive bool   `json:"routesActive"`
	Degraded     bool   `json:"degraded"`
	Ready        bool   `json:"ready"`
}

// statusOf reads the egress status of a composite resource or claim.
func statusOf(u *unstructured.Unstructured) (egressStatus, error) {
	s := egressStatus{}
	m, _, err := unstructured.NestedMap(u.Object, "status")
	if err != nil {
		return s, errors.Wrap(err, "cannot read status")
	}
	delete(m, "conditions")
	for k := range m {
		if k != "egress" && k != "zones" {
			delete(m, k)
		}
	}
	err = runtime.DefaultUnstructuredConverter.FromUnstructured(m, &s)
	return s, errors.Wrap(err, "cannot read the egress status")
}

// zone returns the status of a zone.
func (s egressStatus) zone(name string) (zoneStatus, bool) {
	for _, z := range s.Zones {
		if z.Zone == name {
			return z, true
		}
	}
	return zoneStatus{}, false
}
