// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"
	"net/netip"
	"strings"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/controller/coalesce"
)

// separator joins the route table ID and the destination in the external
// name. Neither a route table ID nor a destination contains it.
const separator = "_"

var _ managed.Initializer = &externalNameInitializer{}

// An externalNameInitializer sets the external name of a Route that has none
// to <routeTableId>_<destination>, from its spec.
type externalNameInitializer struct {
	client client.Client
}

// Initialize sets the external name of mg if it is empty, and writes it
// unless the reconcile writes it later.
func (i *externalNameInitializer) Initialize(ctx context.Context, mg resource.Managed) error {
	if meta.GetExternalName(mg) != "" {
		return nil
	}
	cr, ok := mg.(*v1alpha1.Route)
	if !ok {
		return errors.Errorf("cannot set the external name of %T: not a Route", mg)
	}
	name, err := externalName(cr.Spec.ForProvider)
	if err != nil {
		return errors.Wrap(err, "cannot derive the external name")
	}
	meta.SetExternalName(cr, name)
	if coalesce.Defer(ctx) {
		return nil
	}
	return errors.Wrap(i.client.Update(ctx, cr), "cannot write the external name")
}

// externalName returns the external name of the route p describes.
func externalName(p v1alpha1.RouteParameters) (string, error) {
	if p.RouteTableID == "" {
		return "", errors.New("spec.forProvider.routeTableId is not set")
	}
	d, err := destination(p)
	if err != nil {
		return "", err
	}
	return p.RouteTableID + separator + d, nil
}

// destination returns the one destination p sets.
func destination(p v1alpha1.RouteParameters) (string, error) {
	var set []string
	for _, d := range []*string{p.DestinationCidrBlock, p.DestinationIPv6CidrBlock, p.DestinationPrefixListID} {
		if d != nil && *d != "" {
			set = append(set, *d)
		}
	}
	if len(set) != 1 {
		return "", errors.New("set exactly one destination: destinationCidrBlock, destinationIpv6CidrBlock or destinationPrefixListId")
	}
	return set[0], nil
}

// sameRoute reports whether two external names name the same route: the same
// route table and the same destination once CIDR blocks are canonical, as EC2
// stores them (10.0.0.9/8 is 10.0.0.0/8).
func sameRoute(a, b string) bool {
	ta, da, oka := strings.Cut(a, separator)
	tb, db, okb := strings.Cut(b, separator)
	return oka && okb && ta == tb && canonical(da) == canonical(db)
}

// canonical returns a CIDR block with its host bits cleared and in the
// shortest form; anything else, such as a prefix list ID, as it is.
func canonical(d string) string {
	p, err := netip.ParsePrefix(d)
	if err != nil {
		return d
	}
	return p.Masked().String()
}
