// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
)

// TestTargetNotFound covers a CreateRoute and a ReplaceRoute that EC2
// refuses because it does not know the target gateway: within EC2's
// consistency window after the gateway's creation the error says EC2 does
// not know it yet; after it, that it does not exist.
func TestTargetNotFound(t *testing.T) {
	t0 := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	notFound := apiError(ec2client.CodeInvalidNatGatewayIDNotFound)
	unknown := "EC2 refused CreateRoute with InvalidNatGatewayID.NotFound: region " + region + " has no NAT gateway " + natNew +
		"; set spec.forProvider.natGatewayId to a gateway of region " + region + ", or reference a NATGateway with natGatewayIdRef"
	notYet := "EC2 does not know NAT gateway " + natNew + " yet (InvalidNatGatewayID.NotFound), as happens shortly after a gateway is created; the next reconcile retries"

	listed := func(state types.NatGatewayState, created time.Time) func(context.Context, *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
		return func(context.Context, *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
			return &ec2.DescribeNatGatewaysOutput{NatGateways: []types.NatGateway{{NatGatewayId: aws.String(natNew), State: state, CreateTime: aws.Time(created)}}}, nil
		}
	}
	unlisted := func(context.Context, *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
		return nil, apiError(ec2client.CodeNatGatewayNotFound)
	}
	referenced := func(id string, created time.Time) *test.MockClient {
		kube := (&cache{}).client()
		kube.MockGet = func(_ context.Context, _ client.ObjectKey, obj client.Object) error {
			meta.SetExternalName(obj, id)
			meta.SetExternalCreateSucceeded(obj, created)
			return nil
		}
		return kube
	}
	withRef := func(cr *v1alpha1.Route) {
		cr.Spec.ForProvider.NATGatewayIDRef = &xpv2.NamespacedReference{Name: "egress-a"}
	}

	cases := map[string]struct {
		reason   string
		describe func(context.Context, *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error)
		kube     *test.MockClient
		cr       *v1alpha1.Route
		want     string
	}{
		"NeverExisted": {
			reason:   "A gateway EC2 lists nowhere and no NATGateway made moments ago does not exist: the refusal says so, and where.",
			describe: unlisted,
			cr:       route(),
			want:     "cannot create route: " + unknown,
		},
		"ListedPending": {
			reason:   "A gateway EC2 lists as pending exists: the route's side of EC2 does not know it yet.",
			describe: listed(types.NatGatewayStatePending, t0),
			cr:       route(),
			want:     "cannot create route: " + notYet,
		},
		"ListedDeletedLongAgo": {
			reason:   "A gateway EC2 lists as deleted, made long ago, is not one EC2 does not know yet.",
			describe: listed(types.NatGatewayStateDeleted, t0.Add(-time.Hour)),
			cr:       route(),
			want:     "cannot create route: " + unknown,
		},
		"ReferencedJustCreated": {
			reason:   "A gateway EC2 lists nowhere that the referenced NATGateway created moments ago is not known yet.",
			describe: unlisted,
			kube:     referenced(natNew, t0.Add(-10*time.Second)),
			cr:       route(withRef),
			want:     "cannot create route: " + notYet,
		},
		"ReferencedCreatedLongAgo": {
			reason:   "After the consistency window, a gateway the referenced NATGateway created does not exist.",
			describe: unlisted,
			kube:     referenced(natNew, t0.Add(-ec2client.NATGatewayConsistencyWindow)),
			cr:       route(withRef),
			want:     "cannot create route: " + unknown,
		},
		"ReferencedOtherGateway": {
			reason:   "The referenced NATGateway's creation time counts only for the gateway it names.",
			describe: unlisted,
			kube:     referenced(natOld, t0),
			cr:       route(withRef),
			want:     "cannot create route: " + unknown,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			api := &fake.EC2{
				MockCreateRoute: func(context.Context, *ec2.CreateRouteInput) (*ec2.CreateRouteOutput, error) {
					return nil, notFound
				},
				MockDescribeNatGateways: tc.describe,
			}
			kube := tc.kube
			if kube == nil {
				kube = (&cache{}).client()
			}
			e := &external{client: ec2client.Explaining(api, ec2client.Scope{Region: region}), kube: kube, now: func() time.Time { return t0 }}
			_, err := e.Create(context.Background(), tc.cr)
			if diff := cmp.Diff(tc.want, errString(err)); diff != "" {
				t.Errorf("\n%s\nCreate(...): -want error, +got error:\n%s", tc.reason, diff)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
