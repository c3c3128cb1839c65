// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package function is a composition function that composes highly available
// AWS NAT-gateway egress for a VPC: ElasticIPs, NATGateways and Routes, keyed
// by availability zone, with failover of a zone's routes while its gateway
// is degraded.
package function

import (
	"context"
	"maps"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/egresskit/provider-aws-egress/internal/function/input/v1beta1"
)

// Function composes egress.
type Function struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	log logging.Logger
}

// New returns a Function that logs to log.
func New(log logging.Logger) *Function {
	return &Function{log: log}
}

// RunFunction composes the egress that the observed composite resource asks
// for. Every error is a Fatal result, on which Crossplane applies nothing and
// deletes nothing, so a bad input never leaves a partial desired state.
func (f *Function) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	rsp := response.To(req, response.DefaultTTL)

	in := &v1beta1.Input{}
	if err := request.GetInput(req, in); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get Function input"))
		return rsp, nil
	}
	if err := validateInput(in); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot use Function input"))
		return rsp, nil
	}
	oxr, err := request.GetObservedCompositeResource(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get observed composite resource"))
		return rsp, nil
	}
	log := f.log.WithValues("xr-apiversion", oxr.Resource.GetAPIVersion(), "xr-kind", oxr.Resource.GetKind(), "xr-name", oxr.Resource.GetName())

	spec, err := getSpec(oxr)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot read composite resource"))
		return rsp, nil
	}
	e, err := newEgress(in, spec)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot use composite resource spec"))
		return rsp, nil
	}
	ns, err := composedNamespace(oxr, in)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot choose the namespace of composed resources"))
		return rsp, nil
	}
	observed, err := request.GetObservedComposedResources(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get observed composed resources"))
		return rsp, nil
	}

	p := planFor(e)
	o := observation{}
	if o.gateways, err = observeGateways(p, observed); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot observe gateways"))
		return rsp, nil
	}
	if o.routes, err = observeRoutes(p, observed); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot observe routes"))
		return rsp, nil
	}
	var retiredHealth map[resource.Name]gatewayHealth
	if o.retired, retiredHealth, err = observeRetired(p, observed); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot observe retired gateways"))
		return rsp, nil
	}
	maps.Copy(o.gateways, retiredHealth)
	r := serving(e, p, o)

	cds, err := composer{xr: oxr.Resource.GetName(), namespace: ns, e: e}.compose(p, r)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot compose managed resources"))
		return rsp, nil
	}
	maps.Copy(cds, stillUsed(o, r))
	earlier, err := request.GetDesiredComposedResources(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get desired composed resources"))
		return rsp, nil
	}
	dxr, err := request.GetDesiredCompositeResource(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get desired composite resource"))
		return rsp, nil
	}

	zones := zoneStatuses(e, p, o, r)
	if err := setStatus(dxr, zones, summarize(e, p, o, zones)); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot set composite resource status"))
		return rsp, nil
	}
	dxr.Ready = compositeReady(earlierReady(req), zones)
	if err := response.SetDesiredComposedResources(rsp, withReadiness(cds, earlier, observed)); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot set desired composed resources"))
		return rsp, nil
	}
	if err := response.SetDesiredCompositeResource(rsp, dxr); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot set desired composite resource"))
		return rsp, nil
	}
	report(rsp, e, p, o, r, zones, claimed(oxr))

	log.Debug("Composed egress", "topology", e.topology, "zones", len(zones), "resources", len(cds))
	return rsp, nil
}
