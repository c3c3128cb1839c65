// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"maps"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// A change of the spec can ask for a zone's gateway under a new name: the
// zone brings its own address, the topology changes, or Single moves its
// gateway to another zone. Until the new gateway is available, the zone's
// routes stay on the available gateway that carries them, and a retired
// gateway, one the plan no longer asks for, stays composed with its
// ElasticIP. Once no route is active through it any more, it is left out of
// the desired state and Crossplane deletes it. Egress never waits for a new
// gateway, and a gateway is never deleted under a route. serving
// (failover.go) decides which gateway carries a zone's routes; this file
// observes the retired gateways and tells which gateway a zone's routes use.

// A retired gateway is an observed NATGateway that the plan does not ask for.
type retired struct {
	zone string
	// keep are the composed resources to keep while the gateway carries
	// routes: the NATGateway and its ElasticIP, if one is observed.
	keep map[resource.Name]*composed.Unstructured
}

// observeRetired reads the observed NATGateways that the plan does not ask
// for, and returns them and their health.
func observeRetired(p plan, observed map[resource.Name]resource.ObservedComposed) (map[resource.Name]retired, map[resource.Name]gatewayHealth, error) {
	planned := map[resource.Name]bool{}
	for _, g := range p.gateways {
		planned[g.name] = true
	}
	out := map[resource.Name]retired{}
	health := map[resource.Name]gatewayHealth{}
	for _, name := range sortedKeys(observed) {
		oc := observed[name]
		if planned[name] || !ours(oc, v1alpha1.NATGatewayKind) {
			continue
		}
		nat := &v1alpha1.NATGateway{}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(oc.Resource.Object, nat); err != nil {
			return nil, nil, errors.Wrapf(err, "cannot read observed NATGateway %s", name)
		}
		health[name] = gatewayHealthOf(nat)
		r := retired{zone: nat.GetLabels()[LabelZone], keep: map[resource.Name]*composed.Unstructured{name: kept(oc)}}
		if ref := nat.Spec.ForProvider.AllocationIDRef; ref != nil {
			for eipName, eip := range observed {
				if ours(eip, v1alpha1.ElasticIPKind) && eip.Resource.GetName() == ref.Name {
					r.keep[eipName] = kept(eip)
				}
			}
		}
		out[name] = r
	}
	return out, health, nil
}

// ours tells whether an observed resource is one of our managed resources of
// kind.
func ours(oc resource.ObservedComposed, kind string) bool {
	gvk := oc.Resource.GroupVersionKind()
	return gvk.Group == v1alpha1.Group && gvk.Kind == kind
}

// kept returns the desired state of an observed resource that is kept as it
// is: its identity, labels and spec.
func kept(oc resource.ObservedComposed) *composed.Unstructured {
	cd := composed.New()
	cd.SetAPIVersion(oc.Resource.GetAPIVersion())
	cd.SetKind(oc.Resource.GetKind())
	cd.SetName(oc.Resource.GetName())
	cd.SetNamespace(oc.Resource.GetNamespace())
	cd.SetLabels(oc.Resource.GetLabels())
	if spec, ok := oc.Resource.Object["spec"]; ok {
		cd.Object["spec"] = runtime.DeepCopyJSONValue(spec)
	}
	return cd
}

// pointsElsewhere tells whether an observed route of zone points at a
// gateway other than home: the zone had egress before its home gateway was
// asked for.
func pointsElsewhere(p plan, o observation, zone string, home resource.Name) bool {
	for _, r := range p.routes {
		id := o.routes[r.name].natGatewayID
		if r.zone == zone && id != "" && id != o.gateways[home].id {
			return true
		}
	}
	return false
}

// carrier returns the available gateway, other than home, that an active
// route of zone sends its traffic to.
func carrier(p plan, o observation, zone string, home resource.Name) (resource.Name, bool) {
	for _, r := range p.routes {
		rh := o.routes[r.name]
		if r.zone != zone || rh.state != v1alpha1.RouteStateActive {
			continue
		}
		for _, name := range sortedKeys(o.gateways) {
			g := o.gateways[name]
			if name != home && g.available() && g.id == rh.natGatewayID {
				return name, true
			}
		}
	}
	return "", false
}

// stillUsed returns the resources of the retired gateways of o that carry a
// zone's routes as r decided, or that an observed route is still active
// through: a retired gateway is deleted only once no route uses it any more.
func stillUsed(o observation, r routing) map[resource.Name]*composed.Unstructured {
	used := map[resource.Name]bool{}
	for _, g := range r {
		used[g] = true
	}
	for name := range o.retired {
		for _, rt := range o.routes {
			if rt.activeVia(o.gateways[name].id) {
				used[name] = true
			}
		}
	}
	out := map[resource.Name]*composed.Unstructured{}
	for name := range used {
		maps.Copy(out, o.retired[name].keep)
	}
	return out
}
