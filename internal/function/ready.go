// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	corev1 "k8s.io/api/core/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
)

// withReadiness pairs each composed resource with its readiness: true only
// when the observed resource's Ready condition is True. Crossplane does not
// derive the readiness of a pipeline's resources itself. A readiness that an
// earlier step of the pipeline set for a resource of the same name is kept.
func withReadiness(cds map[resource.Name]*composed.Unstructured, earlier map[resource.Name]*resource.DesiredComposed, observed map[resource.Name]resource.ObservedComposed) map[resource.Name]*resource.DesiredComposed {
	out := make(map[resource.Name]*resource.DesiredComposed, len(cds))
	for name, cd := range cds {
		dc := &resource.DesiredComposed{Resource: cd, Ready: resource.ReadyUnspecified}
		if e, ok := earlier[name]; ok {
			dc.Ready = e.Ready
		}
		if dc.Ready == resource.ReadyUnspecified {
			dc.Ready = observedReady(observed, name)
		}
		out[name] = dc
	}
	return out
}

// observedReady returns the readiness of an observed composed resource.
func observedReady(observed map[resource.Name]resource.ObservedComposed, name resource.Name) resource.Ready {
	oc, ok := observed[name]
	if ok && oc.Resource.GetCondition(xpv2.TypeReady).Status == corev1.ConditionTrue {
		return resource.ReadyTrue
	}
	return resource.ReadyFalse
}

// earlierReady returns the readiness of the composite resource that earlier
// steps of the pipeline set. request.GetDesiredCompositeResource of
// function-sdk-go v0.7.1 does not read it, so it is read here.
func earlierReady(req *fnv1.RunFunctionRequest) resource.Ready {
	switch req.GetDesired().GetComposite().GetReady() {
	case fnv1.Ready_READY_TRUE:
		return resource.ReadyTrue
	case fnv1.Ready_READY_FALSE:
		return resource.ReadyFalse
	case fnv1.Ready_READY_UNSPECIFIED:
		return resource.ReadyUnspecified
	}
	return resource.ReadyUnspecified
}

// compositeReady returns the readiness of the composite resource. It is not
// ready while a zone lacks an available gateway of its own or active routes
// through it. Otherwise the readiness is left as it was, so that Crossplane
// also waits for every composed resource to be ready.
func compositeReady(current resource.Ready, zones []zoneStatus) resource.Ready {
	for _, z := range zones {
		if !z.Ready {
			return resource.ReadyFalse
		}
	}
	return current
}
