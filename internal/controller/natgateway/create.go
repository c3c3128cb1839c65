// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
)

// Create makes the gateway of cr, or finds the one already made for it, and
// sets its ID as the external name. When it replaces a gateway that Observe
// found gone, it records the healing in an annotation, emits an event and
// counts it.
//
// No duplicate is ever made: a live gateway tagged with cr's UID is adopted
// rather than another created; the ClientToken is the same for every attempt
// to replace one gateway, so EC2 answers a retry with the gateway it already
// made; and if the spec changed between two attempts, EC2 refuses the token
// and the gateway is found by its tag.
func (e *external) Create(ctx context.Context, cr *v1alpha1.NATGateway) (managed.ExternalCreation, error) {
	// A snapshot taken before this change must not serve the gateway.
	defer e.touch(cr)
	if err := validateCreate(cr.Spec.ForProvider); err != nil {
		return managed.ExternalCreation{}, err
	}
	previous, state := e.previous(cr)

	gw, adopted, err := e.adoptOrCreate(ctx, cr, previous)
	if err != nil {
		return managed.ExternalCreation{}, err
	}
	id := aws.ToString(gw.NatGatewayId)
	if id == "" {
		return managed.ExternalCreation{}, errors.New("cannot create NAT gateway: EC2 returned no NAT gateway ID")
	}
	meta.SetExternalName(cr, id)

	if adopted {
		e.record.Event(cr, event.Normal(reasonAdopted, fmt.Sprintf("Adopted NAT gateway %s, which was already made for this resource", id)))
	}
	if previous == "" || previous == id {
		return managed.ExternalCreation{}, nil
	}

	if err := healing.Record(cr, previous, state, id, e.now()); err != nil {
		return managed.ExternalCreation{}, err
	}
	e.recreations.WithLabelValues(state).Inc()
	healingTotal.replaced(cr, previous, id, state, e.now())
	e.record.Event(cr, event.Normal(reasonRecreated, fmt.Sprintf("Recreated NAT gateway %s (found %s) as %s", previous, state, id)))
	return managed.ExternalCreation{AdditionalDetails: managed.AdditionalDetails{
		"previousId": previous,
		"foundState": state,
	}}, nil
}

// previous returns the gateway Create replaces and the state Observe found it
// in, or "" for the first gateway.
func (e *external) previous(cr *v1alpha1.NATGateway) (id, state string) {
	if e.found != nil {
		return e.found.id, e.found.state
	}
	if id := meta.GetExternalName(cr); id != "" {
		return id, v1alpha1.FoundStateNotFound
	}
	return "", ""
}

// adoptOrCreate returns a live gateway already made for cr, or creates one.
// It reports whether the gateway was adopted.
func (e *external) adoptOrCreate(ctx context.Context, cr *v1alpha1.NATGateway, previous string) (*types.NatGateway, bool, error) {
	gw, err := e.findOwned(ctx, cr, previous)
	if err != nil {
		return nil, false, err
	}
	if gw != nil {
		return gw, true, nil
	}

	token := clientToken(cr.GetUID(), previous)
	in := generateCreateInput(cr, token, desiredTags(cr))
	out, err := e.client.CreateNatGateway(ctx, in)
	if ec2client.IsErrorCode(err, ec2client.CodeIdempotentParameterMismatch) {
		// The spec changed since an earlier attempt with this token made a
		// gateway whose ID was lost: find that gateway by its tag.
		gw, ferr := e.findOwned(ctx, cr, previous)
		if ferr != nil {
			return nil, false, ferr
		}
		if gw == nil {
			return nil, false, errors.Wrapf(err, "cannot create NAT gateway: EC2 refuses client token %s and reports no pending or available gateway tagged %s=%s", token, ec2client.TagUID, cr.GetUID())
		}
		return gw, true, nil
	}
	if err != nil {
		return nil, false, errors.Wrap(err, "cannot create NAT gateway")
	}
	if out.NatGateway == nil {
		return nil, false, errors.New("cannot create NAT gateway: EC2 returned no NAT gateway")
	}
	return out.NatGateway, false, nil
}

// findOwned returns the oldest pending or available gateway tagged with cr's
// UID other than previous, or nil when there is none. A second one is
// reported in an event: it is left for a person to inspect.
func (e *external) findOwned(ctx context.Context, cr *v1alpha1.NATGateway, previous string) (*types.NatGateway, error) {
	owned, err := e.owned(ctx, cr, previous, types.NatGatewayStatePending, types.NatGatewayStateAvailable)
	if err != nil || len(owned) == 0 {
		return nil, err
	}
	if len(owned) > 1 {
		others := make([]string, 0, len(owned)-1)
		for _, gw := range owned[1:] {
			others = append(others, aws.ToString(gw.NatGatewayId))
		}
		e.record.Event(cr, event.Warning(reasonDuplicates, errors.Errorf("NAT gateways %s are also tagged %s=%s; keeping %s, the oldest, and leaving the others untouched", strings.Join(others, ", "), ec2client.TagUID, cr.GetUID(), aws.ToString(owned[0].NatGatewayId))))
	}
	return &owned[0], nil
}

// owned returns the gateways in one of states tagged with cr's UID other
// than except, oldest first.
//
// EC2 is asked for these gateways only, but every gateway of its answer is
// checked again: some EC2-compatible endpoints (moto) ignore the filters and
// list every gateway of the account, and adopting another resource's gateway
// would make two managed resources share, and delete, one gateway.
func (e *external) owned(ctx context.Context, cr *v1alpha1.NATGateway, except string, states ...types.NatGatewayState) ([]types.NatGateway, error) {
	uid := string(cr.GetUID())
	values := make([]string, 0, len(states))
	for _, s := range states {
		values = append(values, string(s))
	}
	in := &ec2.DescribeNatGatewaysInput{Filter: []types.Filter{
		{Name: aws.String("tag:" + ec2client.TagUID), Values: []string{uid}},
		{Name: aws.String("state"), Values: values},
	}}
	var owned []types.NatGateway
	pages := ec2.NewDescribeNatGatewaysPaginator(e.client, in)
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, errors.Wrap(err, "cannot list the NAT gateways tagged for this resource")
		}
		for _, gw := range out.NatGateways {
			if aws.ToString(gw.NatGatewayId) == except || !slices.Contains(states, gw.State) || ec2client.TagMap(gw.Tags)[ec2client.TagUID] != uid {
				continue
			}
			owned = append(owned, gw)
		}
	}
	slices.SortFunc(owned, func(a, b types.NatGateway) int {
		if c := aws.ToTime(a.CreateTime).Compare(aws.ToTime(b.CreateTime)); c != 0 {
			return c
		}
		return strings.Compare(aws.ToString(a.NatGatewayId), aws.ToString(b.NatGatewayId))
	})
	return owned, nil
}

// live reports whether a gateway in state s is, or is becoming, usable.
func live(s types.NatGatewayState) bool {
	return s == types.NatGatewayStatePending || s == types.NatGatewayStateAvailable
}

// validateCreate reports a spec that cannot make a gateway, before EC2 is
// asked. The CRD's validation rejects these too, except where a management
// policy without Create let the field stay unset.
func validateCreate(p v1alpha1.NATGatewayParameters) error {
	switch {
	case isRegional(p) && p.VpcID == nil:
		return errors.New("cannot create NAT gateway: spec.forProvider.vpcId is required for a regional gateway")
	case !isRegional(p) && p.SubnetID == nil:
		return errors.New("cannot create NAT gateway: spec.forProvider.subnetId is required for a zonal gateway")
	case !isRegional(p) && !isPrivate(p) && p.AllocationID == nil:
		return errors.New("cannot create NAT gateway: spec.forProvider.allocationId is required for a public zonal gateway")
	}
	return nil
}
