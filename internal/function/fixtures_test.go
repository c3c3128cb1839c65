// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"

	"google.golang.org/protobuf/types/known/durationpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/response"
)

// Fixtures shared by the tests: a namespaced XEgress named web in namespace
// team-a, in region us-east-1, with zones us-east-1a, us-east-1b and
// us-east-1c.

const (
	zoneA = "us-east-1a"
	zoneB = "us-east-1b"
	zoneC = "us-east-1c"
)

const defaultInput = `{"apiVersion":"egress.fn.egresskit.io/v1beta1","kind":"Input"}`

// threeZones is the spec of an XEgress with a public subnet and a private
// route table in each of three zones, plus the supplied fields.
func threeZones(extra string) string {
	return `{"region":"us-east-1",` + extra + `
		"publicSubnets":[
			{"zone":"us-east-1a","subnetId":"subnet-0000000a"},
			{"zone":"us-east-1b","subnetId":"subnet-0000000b"},
			{"zone":"us-east-1c","subnetId":"subnet-0000000c"}],
		"privateRouteTables":[
			{"zone":"us-east-1a","routeTableIds":["rtb-0000000a"]},
			{"zone":"us-east-1b","routeTableIds":["rtb-0000000b"]},
			{"zone":"us-east-1c","routeTableIds":["rtb-0000000c"]}]}`
}

// namespacedXR returns the XEgress web in team-a with the supplied spec.
func namespacedXR(spec string) *fnv1.Resource {
	return &fnv1.Resource{Resource: resource.MustStructJSON(`{
		"apiVersion":"egress.egresskit.io/v1alpha1","kind":"XEgress",
		"metadata":{"name":"web","namespace":"team-a"},
		"spec":` + spec + `}`)}
}

// claimXR returns the cluster-scoped XClusterEgress web-x7k2p that
// Crossplane created for the claim web in team-b.
func claimXR(spec string) *fnv1.Resource {
	return &fnv1.Resource{Resource: resource.MustStructJSON(`{
		"apiVersion":"egress.egresskit.io/v1alpha1","kind":"XClusterEgress",
		"metadata":{"name":"web-x7k2p","labels":{"crossplane.io/claim-name":"web","crossplane.io/claim-namespace":"team-b"}},
		"spec":` + spec + `}`)}
}

// clusterXR returns a cluster-scoped XClusterEgress created without a claim.
func clusterXR(spec string) *fnv1.Resource {
	return &fnv1.Resource{Resource: resource.MustStructJSON(`{
		"apiVersion":"egress.egresskit.io/v1alpha1","kind":"XClusterEgress",
		"metadata":{"name":"shared"},
		"spec":` + spec + `}`)}
}

func newRequest(input string, xr *fnv1.Resource, observed map[string]*fnv1.Resource) *fnv1.RunFunctionRequest {
	return &fnv1.RunFunctionRequest{
		Meta:     &fnv1.RequestMeta{Tag: "egress"},
		Input:    resource.MustStructJSON(input),
		Observed: &fnv1.State{Composite: xr, Resources: observed},
	}
}

// Desired composed resources, as JSON.

func eip(xr, namespace, zone string) string {
	return fmt.Sprintf(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"ElasticIP",
		"metadata":{"name":"%s-eip-%s",%s"labels":{"egresskit.io/zone":"%s"}},
		"spec":{"forProvider":{"region":"us-east-1"}}}`, xr, zone, ns(namespace), zone)
}

// publicNAT is a public zonal NATGateway that uses its zone's ElasticIP.
func publicNAT(xr, namespace, zone, subnet string) string {
	return nat(xr, namespace, zone, fmt.Sprintf(`"connectivityType":"public","subnetId":%q,"allocationIdRef":{"name":"%s-eip-%s"}`, subnet, xr, zone))
}

func nat(xr, namespace, zone, forProvider string) string {
	return fmt.Sprintf(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"NATGateway",
		"metadata":{"name":"%s-nat-%s",%s"labels":{"egresskit.io/zone":"%s"}},
		"spec":{"forProvider":{"region":"us-east-1",%s}}}`, xr, zone, ns(namespace), zone, forProvider)
}

// byoNAT is the public NATGateway of zone on the bring-your-own address
// alloc, named for it.
func byoNAT(xr, zone, subnet, alloc string) string {
	return fmt.Sprintf(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"NATGateway",
		"metadata":{"name":"%s-nat-%s-%s","labels":{"egresskit.io/zone":"%s"}},
		"spec":{"forProvider":{"region":"us-east-1","connectivityType":"public","subnetId":"%s","allocationId":"%s"}}}`, xr, zone, alloc, zone, subnet, alloc)
}

// routeJSON is a route of zone's route table rtb to 0.0.0.0/0 through the
// NATGateway named target.
func routeJSON(xr, namespace, zone, rtb, target string) string {
	return fmt.Sprintf(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"Route",
		"metadata":{"name":"%s-route-%s-%s",%s"labels":{"egresskit.io/zone":"%s","egresskit.io/route-table":"%s"}},
		"spec":{"forProvider":{"region":"us-east-1","routeTableId":"%s","destinationCidrBlock":"0.0.0.0/0",
		"natGatewayIdRef":{"name":"%s"}}}}`, xr, zone, rtb, ns(namespace), zone, rtb, rtb, target)
}

func ns(namespace string) string {
	if namespace == "" {
		return ""
	}
	return fmt.Sprintf(`"namespace":%q,`, namespace)
}

func desired(j string, ready fnv1.Ready) *fnv1.Resource {
	return &fnv1.Resource{Resource: resource.MustStructJSON(j), Ready: ready}
}

// perAZ returns the desired resources of the PerAZ topology over the three
// zones of threeZones, each route through the gateway in targets (by zone).
func perAZ(ready map[string]fnv1.Ready, targets map[string]string) map[string]*fnv1.Resource {
	out := map[string]*fnv1.Resource{}
	for _, z := range []string{zoneA, zoneB, zoneC} {
		s := z[len(z)-1:]
		target := "web-nat-" + z
		if t, ok := targets[z]; ok {
			target = "web-nat-" + t
		}
		out["eip-"+z] = desired(eip("web", "", z), readyOf(ready, "eip-"+z))
		out["nat-"+z] = desired(publicNAT("web", "", z, "subnet-0000000"+s), readyOf(ready, "nat-"+z))
		out["route-"+z+"-rtb-0000000"+s] = desired(routeJSON("web", "", z, "rtb-0000000"+s, target), readyOf(ready, "route-"+z+"-rtb-0000000"+s))
	}
	return out
}

func readyOf(ready map[string]fnv1.Ready, name string) fnv1.Ready {
	if r, ok := ready[name]; ok {
		return r
	}
	return fnv1.Ready_READY_FALSE
}

// allReady marks every resource of perAZ ready.
func allReady() map[string]fnv1.Ready {
	out := map[string]fnv1.Ready{}
	for _, z := range []string{zoneA, zoneB, zoneC} {
		s := z[len(z)-1:]
		for _, n := range []string{"eip-" + z, "nat-" + z, "route-" + z + "-rtb-0000000" + s} {
			out[n] = fnv1.Ready_READY_TRUE
		}
	}
	return out
}

// Observed composed resources.

func observedEIP(zone string, ready bool) *fnv1.Resource {
	return &fnv1.Resource{Resource: resource.MustStructJSON(fmt.Sprintf(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"ElasticIP",
		"metadata":{"name":"web-eip-%s","namespace":"team-a"},
		"spec":{"forProvider":{"region":"us-east-1"}},
		"status":{"conditions":[%s]}}`, zone, readyCondition(ready)))}
}

// observedNAT is an observed NATGateway of zone with the supplied ID, state
// and Ready condition. A recreated gateway carries a healing record.
func observedNAT(zone, id, state string, ready, recreated bool) *fnv1.Resource {
	healing := ""
	if recreated {
		healing = `,"healing":{"recreations":1,"last":{"previousId":"nat-0000dead","foundState":"deleted","newId":"` + id + `","time":"2026-01-01T00:00:00Z"}}`
	}
	return &fnv1.Resource{Resource: resource.MustStructJSON(fmt.Sprintf(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"NATGateway",
		"metadata":{"name":"web-nat-%s","namespace":"team-a"},
		"spec":{"forProvider":{"region":"us-east-1"}},
		"status":{"conditions":[%s],"atProvider":{"natGatewayId":"%s","state":"%s",
		"addresses":[{"isPrimary":true,"publicIp":"%s","privateIp":"10.0.0.1"}]%s}}}`,
		zone, readyCondition(ready), id, state, publicIP(zone), healing))}
}

// publicIP is the public address of zone's gateway in the fixtures.
func publicIP(zone string) string {
	return "203.0.113." + map[string]string{zoneA: "1", zoneB: "2", zoneC: "3"}[zone]
}

func observedRoute(zone, rtb, natID, state string) *fnv1.Resource {
	return &fnv1.Resource{Resource: resource.MustStructJSON(fmt.Sprintf(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"Route",
		"metadata":{"name":"web-route-%s-%s","namespace":"team-a"},
		"spec":{"forProvider":{"region":"us-east-1","routeTableId":"%s"}},
		"status":{"conditions":[%s],"atProvider":{"routeTableId":"%s","state":"%s","natGatewayId":"%s"}}}`,
		zone, rtb, rtb, readyCondition(state == "active"), rtb, state, natID))}
}

func readyCondition(ready bool) string {
	if ready {
		return `{"type":"Ready","status":"True","reason":"Available","lastTransitionTime":"2026-01-01T00:00:00Z"}`
	}
	return `{"type":"Ready","status":"False","reason":"Unavailable","lastTransitionTime":"2026-01-01T00:00:00Z"}`
}

// healthy returns the observed state of the three zones of threeZones with
// every gateway available and every route active through its own gateway.
func healthy() map[string]*fnv1.Resource {
	out := map[string]*fnv1.Resource{}
	for _, z := range []string{zoneA, zoneB, zoneC} {
		s := z[len(z)-1:]
		id := "nat-0000000" + s
		out["eip-"+z] = observedEIP(z, true)
		out["nat-"+z] = observedNAT(z, id, "available", true, false)
		out["route-"+z+"-rtb-0000000"+s] = observedRoute(z, "rtb-0000000"+s, id, "active")
	}
	return out
}

// with returns observed with some resources replaced.
func with(observed map[string]*fnv1.Resource, replace map[string]*fnv1.Resource) map[string]*fnv1.Resource {
	out := map[string]*fnv1.Resource{}
	maps.Copy(out, observed)
	maps.Copy(out, replace)
	return out
}

// Expected responses.

// composite returns the desired composite resource with the supplied status.
func composite(ready fnv1.Ready, s summary, zones ...zoneStatus) *fnv1.Resource {
	if zones == nil {
		zones = []zoneStatus{}
	}
	j, err := json.Marshal(map[string]any{"status": map[string]any{"egress": s, "zones": zones}})
	if err != nil {
		panic(err)
	}
	return &fnv1.Resource{Resource: resource.MustStructJSON(string(j)), Ready: ready}
}

func rsp(xr *fnv1.Resource, resources map[string]*fnv1.Resource, results []*fnv1.Result, conditions ...*fnv1.Condition) *fnv1.RunFunctionResponse {
	return &fnv1.RunFunctionResponse{
		Meta:       &fnv1.ResponseMeta{Tag: "egress", Ttl: durationpb.New(response.DefaultTTL)},
		Desired:    &fnv1.State{Composite: xr, Resources: resources},
		Results:    results,
		Conditions: conditions,
	}
}

// fatal is the response to a request that fails with the supplied message:
// a Fatal result and the request's desired state, unchanged.
func fatal(req *fnv1.RunFunctionRequest, msg string) *fnv1.RunFunctionResponse {
	return &fnv1.RunFunctionResponse{
		Meta:    &fnv1.ResponseMeta{Tag: "egress", Ttl: durationpb.New(response.DefaultTTL)},
		Desired: req.GetDesired(),
		Results: []*fnv1.Result{{Severity: fnv1.Severity_SEVERITY_FATAL, Message: msg, Target: fnv1.Target_TARGET_COMPOSITE.Enum()}},
	}
}

func warning(msg string, target fnv1.Target) *fnv1.Result {
	return &fnv1.Result{Severity: fnv1.Severity_SEVERITY_WARNING, Message: msg, Target: target.Enum()}
}

func condition(status fnv1.Status, reason, msg string, target fnv1.Target) *fnv1.Condition {
	return &fnv1.Condition{Type: ConditionTypeEgressHealthy, Status: status, Reason: reason, Message: &msg, Target: target.Enum()}
}

// pendingZones is the condition while zones wait for their gateways.
func pendingZones(zones ...string) *fnv1.Condition {
	return condition(fnv1.Status_STATUS_CONDITION_FALSE, ReasonPending,
		"waiting for an available gateway and active routes in zones "+strings.Join(zones, ", "), fnv1.Target_TARGET_COMPOSITE)
}

// canonical returns an object as indented JSON with sorted keys, for
// readable diffs.
func canonical(t *testing.T, o map[string]any) string {
	t.Helper()
	j, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(j)
}
