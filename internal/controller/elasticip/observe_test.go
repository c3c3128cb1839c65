// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/prometheus/client_golang/prometheus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
)

// describeAddresses answers DescribeAddresses by allocation ID with
// addresses, after checking that it was asked for id. It answers the listing
// of the addresses tagged for the ElasticIP, which Observe makes while the
// ElasticIP is being deleted, with the same addresses.
func describeAddresses(t *testing.T, id string, addresses ...types.Address) func(context.Context, *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error) {
	t.Helper()
	return func(ctx context.Context, in *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error) {
		if len(in.Filters) > 0 {
			return describeOwned(t, addresses...)(ctx, in)
		}
		if diff := cmp.Diff(&ec2.DescribeAddressesInput{AllocationIds: []string{id}}, in, sdkOpts); diff != "" {
			t.Errorf("DescribeAddresses(...): -want input, +got input:\n%s", diff)
		}
		return &ec2.DescribeAddressesOutput{Addresses: addresses}, nil
	}
}

// describeAddressesError answers DescribeAddresses with err. EC2 answers an
// unknown allocation ID only by ID: the listing of the addresses tagged for
// the ElasticIP is then empty.
func describeAddressesError(err error) func(context.Context, *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error) {
	return func(_ context.Context, in *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error) {
		if len(in.Filters) > 0 && ec2client.IsAddressNotFound(err) {
			return &ec2.DescribeAddressesOutput{}, nil
		}
		return nil, err
	}
}

func TestObserve(t *testing.T) {
	observed := v1alpha1.ElasticIPObservation{
		AllocationID:       aws.String(allocOld),
		PublicIP:           aws.String(publicIP),
		Domain:             aws.String("vpc"),
		PublicIPv4Pool:     aws.String("amazon"),
		NetworkBorderGroup: aws.String(region),
		Tags:               ownedTags(nil),
	}
	associatedObs := observed
	associatedObs.AssociationID = aws.String(assocID)
	associatedObs.NetworkInterfaceID = aws.String(eni)
	associatedObs.PrivateIPAddress = aws.String("10.0.1.10")

	record := &v1alpha1.Healing{Recreations: 1, Last: &v1alpha1.HealingEvent{
		PreviousID: allocOther, FoundState: v1alpha1.FoundStateNotFound, NewID: allocOld, Time: metav1.NewTime(t0),
	}}
	healed := metav1.ObjectMeta{}
	if err := healing.Record(&healed, allocOther, v1alpha1.FoundStateNotFound, allocOld, t0); err != nil {
		t.Fatal(err)
	}
	withHealed := withAnnotations(healed.GetAnnotations())
	observedHealed := observed
	observedHealed.Healing = record

	// The tests' clock reads t0.
	justCreated := withCreatedAt(t0.Add(-10 * time.Second))
	seen := withAtProvider(v1alpha1.ElasticIPObservation{AllocationID: aws.String(allocOld), PublicIP: aws.String(publicIP)})
	waiting := withConditions(xpv2.Unavailable().WithMessage("waiting for EC2 to list address " + allocOld + ", allocated moments ago"))

	type want struct {
		o        managed.ExternalObservation
		diff     bool
		cr       *v1alpha1.ElasticIP
		warnings []string
		err      error
	}
	cases := map[string]struct {
		reason string
		ec2    *fake.EC2
		cr     *v1alpha1.ElasticIP
		want   want
	}{
		"NoExternalName": {
			reason: "An ElasticIP without an allocation ID has no address yet and EC2 is not asked.",
			ec2:    &fake.EC2{},
			cr:     elasticIP(),
			want:   want{o: managed.ExternalObservation{ResourceExists: false}, cr: elasticIP()},
		},
		"DescribeError": {
			reason: "An error describing the address is returned.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddressesError(errBoom)},
			cr:     elasticIP(withExternalName(allocOld)),
			want:   want{cr: elasticIP(withExternalName(allocOld)), err: errBoom},
		},
		"Released": {
			reason: "An address EC2 does not know was released outside Crossplane: it does not exist, so it is allocated again, and a Warning names the old ID.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddressesError(apiError("InvalidAllocationID.NotFound"))},
			cr:     elasticIP(withExternalName(allocOld)),
			want: want{
				o:        managed.ExternalObservation{ResourceExists: false},
				cr:       elasticIP(withExternalName(allocOld)),
				warnings: []string{"address " + allocOld + " no longer exists: it was released outside Crossplane"},
			},
		},
		"ReleasedEmptyList": {
			reason: "An address missing from EC2's answer was released, as when EC2 answers an empty list.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddresses(t, allocOld)},
			cr:     elasticIP(withExternalName(allocOld)),
			want: want{
				o:        managed.ExternalObservation{ResourceExists: false},
				cr:       elasticIP(withExternalName(allocOld)),
				warnings: []string{"address " + allocOld + " no longer exists: it was released outside Crossplane"},
			},
		},
		"NotYetListedAfterCreate": {
			reason: "An address allocated moments ago that EC2 does not list yet exists and is not ready: EC2 is eventually consistent, and allocating another would leave it behind. It is no release, so there is no Warning.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddressesError(apiError("InvalidAllocationID.NotFound"))},
			cr:     elasticIP(withExternalName(allocOld), justCreated),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: elasticIP(withExternalName(allocOld), justCreated, waiting),
			},
		},
		"NotYetListedStaleStatus": {
			reason: "The status of the address that was replaced is no sign that EC2 listed the new one: it is waited for, and the stale status is cleared.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddresses(t, allocOld)},
			cr:     elasticIP(withExternalName(allocOld), justCreated, withAtProvider(v1alpha1.ElasticIPObservation{AllocationID: aws.String(allocOther), PublicIP: aws.String(publicIP)})),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: elasticIP(withExternalName(allocOld), justCreated, waiting),
			},
		},
		"NotYetListedHealingKept": {
			reason: "While an address allocated moments ago is waited for, the healing record stays in status.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddressesError(apiError("InvalidAllocationID.NotFound"))},
			cr:     elasticIP(withExternalName(allocOld), justCreated, withHealed),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: elasticIP(withExternalName(allocOld), justCreated, withHealed, withAtProvider(v1alpha1.ElasticIPObservation{Healing: record}), waiting),
			},
		},
		"ReleasedRightAfterAllocation": {
			reason: "An address EC2 listed once since its allocation and no longer lists was released, however new: it does not exist, so it is allocated again at once, and a Warning names it.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddressesError(apiError("InvalidAllocationID.NotFound"))},
			cr:     elasticIP(withExternalName(allocOld), justCreated, seen),
			want: want{
				o:        managed.ExternalObservation{ResourceExists: false},
				cr:       elasticIP(withExternalName(allocOld), justCreated, seen),
				warnings: []string{"address " + allocOld + " no longer exists: it was released outside Crossplane"},
			},
		},
		"NotListedAfterGracePeriod": {
			reason: "An address EC2 still does not list 30s after its allocation is gone: it does not exist.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddressesError(apiError("InvalidAllocationID.NotFound"))},
			cr:     elasticIP(withExternalName(allocOld), withCreatedAt(t0.Add(-30*time.Second))),
			want: want{
				o:        managed.ExternalObservation{ResourceExists: false},
				cr:       elasticIP(withExternalName(allocOld), withCreatedAt(t0.Add(-30*time.Second))),
				warnings: []string{"address " + allocOld + " no longer exists: it was released outside Crossplane"},
			},
		},
		"NotYetListedWhileDeleting": {
			reason: "While the ElasticIP is being deleted, an address EC2 does not list is gone, however new, so the finalizer goes.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddressesError(apiError("InvalidAllocationID.NotFound"))},
			cr:     elasticIP(withExternalName(allocOld), justCreated, withDeletionTimestamp()),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: false},
				cr: elasticIP(withExternalName(allocOld), justCreated, withDeletionTimestamp()),
			},
		},
		"Found": {
			reason: "A listed address exists, is ready and is up to date when its tags match; its state fills status.atProvider.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddresses(t, allocOld, address(allocOld))},
			cr:     elasticIP(withExternalName(allocOld)),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: elasticIP(withExternalName(allocOld), withAtProvider(observed), withConditions(xpv2.Available())),
			},
		},
		"FoundAssociated": {
			reason: "The association, network interface and private address of an address a NAT gateway uses are reported.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddresses(t, allocOld, address(allocOld, withAssociation))},
			cr:     elasticIP(withExternalName(allocOld)),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: elasticIP(withExternalName(allocOld), withAtProvider(associatedObs), withConditions(xpv2.Available())),
			},
		},
		"StrayBesideNamed": {
			reason: "Another address tagged for this ElasticIP, allocated by an attempt whose answer was lost, makes it not up to date, so Update releases the address.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddresses(t, allocOld, address(allocOld), address(allocOther))},
			cr:     elasticIP(withExternalName(allocOld)),
			want: want{
				o:    managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: false},
				diff: true,
				cr:   elasticIP(withExternalName(allocOld), withAtProvider(observed), withConditions(xpv2.Available())),
			},
		},
		"UntaggedDescribedByID": {
			reason: "An address without the ownership tag, imported by its allocation ID, is found by ID and its missing tags make it not up to date.",
			ec2: &fake.EC2{MockDescribeAddresses: func(ctx context.Context, in *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error) {
				if len(in.Filters) > 0 {
					return &ec2.DescribeAddressesOutput{}, nil
				}
				return describeAddresses(t, allocOld, address(allocOld, withAddressTags(nil)))(ctx, in)
			}},
			cr: elasticIP(withExternalName(allocOld)),
			want: want{
				o:    managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: false},
				diff: true,
				cr: elasticIP(withExternalName(allocOld), withConditions(xpv2.Available()), withAtProvider(func() v1alpha1.ElasticIPObservation {
					o := observed
					o.Tags = nil
					return o
				}())),
			},
		},
		"TagDrift": {
			reason: "An address whose tags differ from the spec's and the ownership tags is not up to date.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddresses(t, allocOld, address(allocOld))},
			cr:     elasticIP(withExternalName(allocOld), withTags(map[string]string{"team": "net"})),
			want: want{
				o:    managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: false},
				diff: true,
				cr:   elasticIP(withExternalName(allocOld), withTags(map[string]string{"team": "net"}), withAtProvider(observed), withConditions(xpv2.Available())),
			},
		},
		"AWSTagsIgnored": {
			reason: "Tags beginning with aws: belong to AWS and never make the address out of date.",
			ec2: &fake.EC2{MockDescribeAddresses: describeAddresses(t, allocOld,
				address(allocOld, withAddressTags(withKey(ownedTags(nil), "aws:cloudformation:stack-name", "s"))))},
			cr: elasticIP(withExternalName(allocOld)),
			want: want{
				o: managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: elasticIP(withExternalName(allocOld), withConditions(xpv2.Available()), withAtProvider(func() v1alpha1.ElasticIPObservation {
					o := observed
					o.Tags = withKey(ownedTags(nil), "aws:cloudformation:stack-name", "s")
					return o
				}())),
			},
		},
		"HealingMirrored": {
			reason: "The healing record Create wrote into an annotation is mirrored into status.atProvider.healing.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddresses(t, allocOld, address(allocOld))},
			cr:     elasticIP(withExternalName(allocOld), withHealed),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: elasticIP(withExternalName(allocOld), withHealed, withAtProvider(observedHealed), withConditions(xpv2.Available())),
			},
		},
		"HealingUnreadable": {
			reason: "A healing record that cannot be read is an error, never silently dropped.",
			ec2:    &fake.EC2{},
			cr:     elasticIP(withExternalName(allocOld), withAnnotations(map[string]string{healing.AnnotationKey: "{"})),
			want: want{
				cr:  elasticIP(withExternalName(allocOld), withAnnotations(map[string]string{healing.AnnotationKey: "{"})),
				err: cmpopts.AnyError,
			},
		},
		"DeletingAssociated": {
			reason: "While the ElasticIP is being deleted an address EC2 lists exists, associated or not, so the finalizer stays; readiness is not evaluated.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddresses(t, allocOld, address(allocOld, withAssociation))},
			cr:     elasticIP(withExternalName(allocOld), withDeletionTimestamp()),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true},
				cr: elasticIP(withExternalName(allocOld), withDeletionTimestamp(), withAtProvider(associatedObs)),
			},
		},
		"DeletingUnrecordedAddress": {
			reason: "An ElasticIP deleted before the allocation ID of its address was recorded (the provider was down, or the answer was lost) still has the address EC2 lists with its UID tag: it exists, so the finalizer stays until Delete releases it.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeOwned(t, address(allocNew))},
			cr:     elasticIP(withDeletionTimestamp()),
			want:   want{o: managed.ExternalObservation{ResourceExists: true}, cr: elasticIP(withDeletionTimestamp())},
		},
		"DeletingNothingAllocated": {
			reason: "An ElasticIP deleted with no external name and no address tagged for it has nothing left: the finalizer goes.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeOwned(t)},
			cr:     elasticIP(withDeletionTimestamp()),
			want:   want{o: managed.ExternalObservation{ResourceExists: false}, cr: elasticIP(withDeletionTimestamp())},
		},
		"DeletingOthersAddressesOnly": {
			reason: "An endpoint that ignores the tag filter lists addresses of other ElasticIPs: they are not this one's, so nothing is left and the finalizer goes.",
			ec2: &fake.EC2{MockDescribeAddresses: describeOwned(t,
				address(allocOther, withAddressTags(withKey(ownedTags(nil), ec2client.TagUID, otherUID))),
				address(allocNew, withAddressTags(nil)))},
			cr:   elasticIP(withDeletionTimestamp()),
			want: want{o: managed.ExternalObservation{ResourceExists: false}, cr: elasticIP(withDeletionTimestamp())},
		},
		"DeletingStrayBesideReleased": {
			reason: "When the named address is gone but another address carries this ElasticIP's UID tag, that address exists and holds the finalizer.",
			ec2: &fake.EC2{MockDescribeAddresses: func(ctx context.Context, in *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error) {
				if len(in.Filters) > 0 {
					return describeOwned(t, address(allocOther))(ctx, in)
				}
				return nil, apiError("InvalidAllocationID.NotFound")
			}},
			cr:   elasticIP(withExternalName(allocOld), withDeletionTimestamp()),
			want: want{o: managed.ExternalObservation{ResourceExists: true}, cr: elasticIP(withExternalName(allocOld), withDeletionTimestamp())},
		},
		"DeletingListError": {
			reason: "An error listing the addresses tagged for a deleted ElasticIP is returned, so the finalizer stays.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddressesError(errBoom)},
			cr:     elasticIP(withDeletionTimestamp()),
			want:   want{cr: elasticIP(withDeletionTimestamp()), err: errBoom},
		},
		"DeletingReleased": {
			reason: "While the ElasticIP is being deleted an address EC2 no longer lists is gone, without a Warning.",
			ec2:    &fake.EC2{MockDescribeAddresses: describeAddressesError(apiError("InvalidAllocationID.NotFound"))},
			cr:     elasticIP(withExternalName(allocOld), withDeletionTimestamp()),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: false},
				cr: elasticIP(withExternalName(allocOld), withDeletionTimestamp()),
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{}
			e := newExternal(tc.ec2, rec, prometheus.NewCounter(prometheus.CounterOpts{Name: "test_reallocations_total", Help: "Reallocations counted by a test."}))
			got, err := e.Observe(context.Background(), tc.cr)
			if diff := cmp.Diff(tc.want.err, err, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("\n%s\nObserve(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.o, got, cmpopts.IgnoreFields(managed.ExternalObservation{}, "Diff")); diff != "" {
				t.Errorf("\n%s\nObserve(...): -want, +got:\n%s", tc.reason, diff)
			}
			if (got.Diff != "") != tc.want.diff {
				t.Errorf("\n%s\nObserve(...): Diff = %q, want a diff: %t", tc.reason, got.Diff, tc.want.diff)
			}
			if diff := cmp.Diff(tc.want.cr, tc.cr, test.EquateConditions()); diff != "" {
				t.Errorf("\n%s\nObserve(...): -want managed resource, +got managed resource:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.warnings, messages(rec.events, event.TypeWarning)); diff != "" {
				t.Errorf("\n%s\nObserve(...): -want Warning events, +got Warning events:\n%s", tc.reason, diff)
			}
		})
	}
}

// withKey returns m with k set to v.
func withKey(m map[string]string, k, v string) map[string]string {
	m[k] = v
	return m
}

// messages returns the messages of the events of type t.
func messages(events []event.Event, t event.Type) []string {
	var out []string
	for _, e := range events {
		if e.Type == t {
			out = append(out, e.Message)
		}
	}
	return out
}
