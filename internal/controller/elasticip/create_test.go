// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
)

// describeOwned answers the search for addresses tagged with the test UID
// with addresses, after checking the filter.
func describeOwned(t *testing.T, addresses ...types.Address) func(context.Context, *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error) {
	t.Helper()
	return func(_ context.Context, in *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error) {
		want := &ec2.DescribeAddressesInput{Filters: []types.Filter{{Name: aws.String("tag:" + ec2client.TagUID), Values: []string{string(uid)}}}}
		if diff := cmp.Diff(want, in, sdkOpts); diff != "" {
			t.Errorf("DescribeAddresses(...): -want input, +got input:\n%s", diff)
		}
		return &ec2.DescribeAddressesOutput{Addresses: addresses}, nil
	}
}

// allocate checks that AllocateAddress is asked for want and answers id.
func allocate(t *testing.T, want *ec2.AllocateAddressInput, id string) func(context.Context, *ec2.AllocateAddressInput) (*ec2.AllocateAddressOutput, error) {
	t.Helper()
	return func(_ context.Context, in *ec2.AllocateAddressInput) (*ec2.AllocateAddressOutput, error) {
		if diff := cmp.Diff(want, in, sdkOpts); diff != "" {
			t.Errorf("AllocateAddress(...): -want input, +got input:\n%s", diff)
		}
		return &ec2.AllocateAddressOutput{AllocationId: aws.String(id), PublicIp: aws.String(publicIP)}, nil
	}
}

// healedFrom returns the annotations of a resource healed from previous to
// next at t0.
func healedFrom(t *testing.T, previous, next string) map[string]string {
	t.Helper()
	o := &metav1.ObjectMeta{}
	if err := healing.Record(o, previous, v1alpha1.FoundStateNotFound, next, t0); err != nil {
		t.Fatal(err)
	}
	return o.GetAnnotations()
}

func TestCreate(t *testing.T) {
	userTags := map[string]string{"team": "net"}
	plain := &ec2.AllocateAddressInput{
		Domain:            types.DomainTypeVpc,
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeElasticIp, Tags: ec2client.Tags(ownedTags(userTags))}},
	}
	byoip := &ec2.AllocateAddressInput{
		Domain:             types.DomainTypeVpc,
		PublicIpv4Pool:     aws.String("ipv4pool-ec2-0a1b2c3d4e5f60001"),
		NetworkBorderGroup: aws.String("us-east-1-wl1-bos-wlz-1"),
		Address:            aws.String("198.51.100.7"),
		TagSpecifications:  []types.TagSpecification{{ResourceType: types.ResourceTypeElasticIp, Tags: ec2client.Tags(ownedTags(nil))}},
	}
	byoipSpec := v1alpha1.ElasticIPParameters{
		Region:             region,
		PublicIPv4Pool:     aws.String("ipv4pool-ec2-0a1b2c3d4e5f60001"),
		NetworkBorderGroup: aws.String("us-east-1-wl1-bos-wlz-1"),
		Address:            aws.String("198.51.100.7"),
	}

	type want struct {
		c             managed.ExternalCreation
		cr            *v1alpha1.ElasticIP
		reallocations float64
		normal        []string
		warnings      []string
		released      []string
		err           error
	}
	cases := map[string]struct {
		reason string
		ec2    *fake.EC2
		cr     *v1alpha1.ElasticIP
		want   want
	}{
		"AdoptOwned": {
			reason: "An address already tagged as this ElasticIP's, left by an attempt whose external name was lost, is adopted instead of allocating another.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeOwned(t, address(allocNew))},
			cr:     elasticIP(),
			want:   want{cr: elasticIP(withExternalName(allocNew))},
		},
		"AdoptLowestOfSeveral": {
			reason: "Of several addresses tagged as this ElasticIP's the lowest allocation ID is adopted, so every attempt picks the same one, and the others are released so that only one is billed.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeOwned(t, address(allocOther), address(allocNew))},
			cr:     elasticIP(),
			want: want{
				cr:       elasticIP(withExternalName(allocNew)),
				released: []string{allocOther},
				normal:   []string{"Released address " + allocOther + ", also tagged for this ElasticIP, so that only one address is billed"},
			},
		},
		"StrayInUse": {
			reason: "An address also tagged for this ElasticIP that EC2 refuses to release, because something holds it, is reported and left for the deletion; the lowest is still adopted.",
			ec2: &fake.EC2{
				MockDescribeAddresses: describeOwned(t, address(allocOther), address(allocNew)),
				MockReleaseAddress: func(context.Context, *ec2.ReleaseAddressInput) (*ec2.ReleaseAddressOutput, error) {
					return nil, apiError("AuthFailure")
				},
			},
			cr: elasticIP(),
			want: want{
				cr:       elasticIP(withExternalName(allocNew)),
				warnings: []string{"address " + allocOther + " is also tagged for this ElasticIP but is in use; it is released when the ElasticIP is deleted and nothing holds it"},
			},
		},
		"FilterIgnoredOtherOwner": {
			reason: "An endpoint that ignores the tag filter lists the addresses of other ElasticIPs too: an address tagged with another UID, or untagged, is never adopted, and one is allocated.",
			ec2: &fake.EC2{
				MockDescribeAddresses: describeOwned(t,
					address(allocOld, withAddressTags(withKey(ownedTags(nil), ec2client.TagUID, otherUID))),
					address(allocOther, withAddressTags(nil))),
				MockAllocateAddress: allocate(t, plain, allocNew),
			},
			cr:   elasticIP(withTags(userTags)),
			want: want{cr: elasticIP(withTags(userTags), withExternalName(allocNew))},
		},
		"FilterIgnoredOwnedAmongOthers": {
			reason: "Among the addresses of an endpoint that ignores the tag filter, the one tagged with the UID is adopted, even where another has a lower ID.",
			ec2: &fake.EC2{MockDescribeAddresses: describeOwned(t,
				address(allocOld, withAddressTags(withKey(ownedTags(nil), ec2client.TagUID, otherUID))),
				address(allocNew))},
			cr:   elasticIP(),
			want: want{cr: elasticIP(withExternalName(allocNew))},
		},
		"DescribeOwnedError": {
			reason: "An error looking for an owned address is returned and nothing is allocated.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddressesError(errBoom)},
			cr:     elasticIP(),
			want:   want{cr: elasticIP(), err: errBoom},
		},
		"Allocate": {
			reason: "With no owned address one is allocated, tagged with the user's and the ownership tags, and its allocation ID becomes the external name.",
			ec2: &fake.EC2{
				MockDescribeAddresses: describeOwned(t),
				MockAllocateAddress:   allocate(t, plain, allocNew),
			},
			cr:   elasticIP(withTags(userTags)),
			want: want{cr: elasticIP(withTags(userTags), withExternalName(allocNew))},
		},
		"AllocateCreateOnlyFields": {
			reason: "The pool, border group and address of the spec are sent when the address is allocated.",
			ec2: &fake.EC2{
				MockDescribeAddresses: describeOwned(t),
				MockAllocateAddress:   allocate(t, byoip, allocNew),
			},
			cr:   elasticIP(withSpec(byoipSpec)),
			want: want{cr: elasticIP(withSpec(byoipSpec), withExternalName(allocNew))},
		},
		"AllocateError": {
			reason: "An error allocating the address is returned.",
			ec2: &fake.EC2{
				MockDescribeAddresses: describeOwned(t),
				MockAllocateAddress: func(context.Context, *ec2.AllocateAddressInput) (*ec2.AllocateAddressOutput, error) {
					return nil, errBoom
				},
			},
			cr:   elasticIP(),
			want: want{cr: elasticIP(), err: errBoom},
		},
		"AllocateNoID": {
			reason: "An allocation without an ID is an error rather than an empty external name.",
			ec2: &fake.EC2{
				MockDescribeAddresses: describeOwned(t),
				MockAllocateAddress:   allocate(t, plain, ""),
			},
			cr:   elasticIP(withTags(userTags)),
			want: want{cr: elasticIP(withTags(userTags)), err: cmpopts.AnyError},
		},
		"Reallocate": {
			reason: "Allocating in place of a released address records a healing (previous ID, not-found, new ID), counts it and emits a Normal event.",
			ec2: &fake.EC2{
				MockDescribeAddresses: describeOwned(t),
				MockAllocateAddress:   allocate(t, plain, allocNew),
			},
			cr: elasticIP(withTags(userTags), withExternalName(allocOld)),
			want: want{
				c:             managed.ExternalCreation{AdditionalDetails: managed.AdditionalDetails{"previousAllocationId": allocOld}},
				cr:            elasticIP(withTags(userTags), withExternalName(allocNew), withAnnotations(healedFrom(t, allocOld, allocNew))),
				reallocations: 1,
				normal:        []string{"Allocated address " + allocNew + " to replace " + allocOld + ", which was released outside Crossplane"},
			},
		},
		"ReallocateAdopted": {
			reason: "An owned address adopted in place of a released one is a healing too: the attempt that allocated it never recorded it.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeOwned(t, address(allocNew))},
			cr:     elasticIP(withExternalName(allocOld)),
			want: want{
				c:             managed.ExternalCreation{AdditionalDetails: managed.AdditionalDetails{"previousAllocationId": allocOld}},
				cr:            elasticIP(withExternalName(allocNew), withAnnotations(healedFrom(t, allocOld, allocNew))),
				reallocations: 1,
				normal:        []string{"Allocated address " + allocNew + " to replace " + allocOld + ", which was released outside Crossplane"},
			},
		},
		"AdoptSameID": {
			reason: "Adopting the address the external name already names is no healing.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeOwned(t, address(allocNew))},
			cr:     elasticIP(withExternalName(allocNew)),
			want:   want{cr: elasticIP(withExternalName(allocNew))},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{}
			var released []string
			if tc.ec2.MockReleaseAddress == nil {
				tc.ec2.MockReleaseAddress = func(_ context.Context, in *ec2.ReleaseAddressInput) (*ec2.ReleaseAddressOutput, error) {
					released = append(released, aws.ToString(in.AllocationId))
					return &ec2.ReleaseAddressOutput{}, nil
				}
			}
			counter := prometheus.NewCounter(prometheus.CounterOpts{Name: "test_reallocations_total", Help: "Reallocations counted by a test."})
			got, err := newExternal(tc.ec2, rec, counter).Create(context.Background(), tc.cr)
			if diff := cmp.Diff(tc.want.err, err, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("\n%s\nCreate(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.c, got); diff != "" {
				t.Errorf("\n%s\nCreate(...): -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.cr, tc.cr); diff != "" {
				t.Errorf("\n%s\nCreate(...): -want managed resource, +got managed resource:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.reallocations, testutil.ToFloat64(counter)); diff != "" {
				t.Errorf("\n%s\nCreate(...): -want reallocations, +got reallocations:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.normal, messages(rec.events, event.TypeNormal)); diff != "" {
				t.Errorf("\n%s\nCreate(...): -want Normal events, +got Normal events:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.warnings, messages(rec.events, event.TypeWarning)); diff != "" {
				t.Errorf("\n%s\nCreate(...): -want Warning events, +got Warning events:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.released, released); diff != "" {
				t.Errorf("\n%s\nCreate(...): -want released addresses, +got released addresses:\n%s", tc.reason, diff)
			}
		})
	}
}
