// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package composition

import (
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
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

// unhealthyButReady returns an error when one version of an XR is Ready
// while its EgressHealthy condition is False: the function reported a zone
// degraded or pending in the same response from which Crossplane derived
// the XR's readiness. The function never does (it sets the composite's
// readiness to False whenever a zone is not ready).
//
// The check is on the conditions alone, not on status.zones, because
// Crossplane v2.4.0 writes the outcome of one reconcile of a pipeline XR in
// two writes, and a reader can get the version between them:
//
//  1. a server-side apply of the status the function returned (status.zones
//     and status.egress), which carries the conditions the XR had when the
//     reconcile began (internal/controller/apiextensions/composite/
//     composition_functions.go: xfn.FromStruct of the desired composite,
//     SetConditions of the earlier conditions, Status().Patch);
//  2. an update of the conditions derived from the same response: Ready
//     (from the desired composite's readiness), Synced and the function's
//     conditions, EgressHealthy among them (reconciler.go: MarkConditions,
//     then Status().Update).
//
// In the version between them status.zones is newer than every condition:
// right after a zone's gateway is deleted, status.zones reports the zone
// degraded while Ready is still True and EgressHealthy still Available from
// the reconcile before; when a reconcile begins from a stale cached XR, the
// conditions of an even earlier reconcile are written back with the new
// status, for a few milliseconds. The conditions of every version were
// written together, from one function response, so Ready and EgressHealthy
// of one version always belong together.
func unhealthyButReady(u *unstructured.Unstructured) error {
	c := condition(u, conditionEgressHealthy)
	if c["status"] != "False" || conditionStatus(u, string(xpv2.TypeReady)) != "True" {
		return nil
	}
	s, err := statusOf(u)
	if err != nil {
		return err
	}
	return errors.Errorf("%s %s was Ready while it reported EgressHealthy=False (%s): %s, in version %s with zones %+v",
		u.GetKind(), u.GetName(), c["reason"], c["message"], u.GetResourceVersion(), s.Zones)
}

// reportsDegraded tells whether an EgressHealthy condition reports zone
// degraded.
func reportsDegraded(c map[string]string, zone string) bool {
	return c["status"] == "False" && c["reason"] == reasonDegraded && strings.Contains(c["message"], zone)
}
