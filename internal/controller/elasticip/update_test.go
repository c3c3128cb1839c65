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

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
)

func TestUpdate(t *testing.T) {
	type calls struct {
		create   *ec2.CreateTagsInput
		remove   *ec2.DeleteTagsInput
		released []string
	}
	type want struct {
		calls calls
		err   error
	}
	observedTags := func(m map[string]string) func(*v1alpha1.ElasticIP) {
		return withAtProvider(v1alpha1.ElasticIPObservation{Tags: m})
	}
	drifted := withKey(withKey(ownedTags(map[string]string{"team": "old"}), "stale", "x"), "aws:cloudformation:stack-name", "s")

	cases := map[string]struct {
		reason    string
		createErr error
		removeErr error
		leftover  []string
		cr        *v1alpha1.ElasticIP
		want      want
	}{
		"ReleaseStrays": {
			reason:   "The other addresses Observe found tagged for this ElasticIP are released, so that only the one it names stays billed.",
			leftover: []string{allocOther},
			cr:       elasticIP(withExternalName(allocOld), observedTags(ownedTags(nil))),
			want:     want{calls: calls{released: []string{allocOther}}},
		},
		"CreateAndRemove": {
			reason: "Tags missing or with another value are written and tags the spec no longer has are removed; aws: tags are left alone.",
			cr:     elasticIP(withExternalName(allocOld), withTags(map[string]string{"team": "net", "env": "prod"}), observedTags(drifted)),
			want: want{calls: calls{
				create: &ec2.CreateTagsInput{Resources: []string{allocOld}, Tags: ec2client.Tags(map[string]string{"team": "net", "env": "prod"})},
				remove: &ec2.DeleteTagsInput{Resources: []string{allocOld}, Tags: []types.Tag{{Key: aws.String("stale")}}},
			}},
		},
		"OwnershipTagsRestored": {
			reason: "Ownership tags removed outside Crossplane are written again.",
			cr:     elasticIP(withExternalName(allocOld), observedTags(map[string]string{})),
			want: want{calls: calls{
				create: &ec2.CreateTagsInput{Resources: []string{allocOld}, Tags: ec2client.Tags(ownedTags(nil))},
			}},
		},
		"CreateTagsError": {
			reason:    "An error writing tags is returned.",
			createErr: errBoom,
			cr:        elasticIP(withExternalName(allocOld), withTags(map[string]string{"team": "net"}), observedTags(ownedTags(nil))),
			want: want{
				calls: calls{create: &ec2.CreateTagsInput{Resources: []string{allocOld}, Tags: ec2client.Tags(map[string]string{"team": "net"})}},
				err:   errBoom,
			},
		},
		"DeleteTagsError": {
			reason:    "An error removing tags is returned.",
			removeErr: errBoom,
			cr:        elasticIP(withExternalName(allocOld), observedTags(withKey(ownedTags(nil), "stale", "x"))),
			want: want{
				calls: calls{remove: &ec2.DeleteTagsInput{Resources: []string{allocOld}, Tags: []types.Tag{{Key: aws.String("stale")}}}},
				err:   errBoom,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got calls
			api := &fake.EC2{
				MockCreateTags: func(_ context.Context, in *ec2.CreateTagsInput) (*ec2.CreateTagsOutput, error) {
					got.create = in
					return &ec2.CreateTagsOutput{}, tc.createErr
				},
				MockDeleteTags: func(_ context.Context, in *ec2.DeleteTagsInput) (*ec2.DeleteTagsOutput, error) {
					got.remove = in
					return &ec2.DeleteTagsOutput{}, tc.removeErr
				},
				MockReleaseAddress: func(_ context.Context, in *ec2.ReleaseAddressInput) (*ec2.ReleaseAddressOutput, error) {
					got.released = append(got.released, aws.ToString(in.AllocationId))
					return &ec2.ReleaseAddressOutput{}, nil
				},
			}
			e := newExternal(api, event.NewNopRecorder(), nil)
			e.leftover = tc.leftover
			_, err := e.Update(context.Background(), tc.cr)
			if diff := cmp.Diff(tc.want.err, err, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("\n%s\nUpdate(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.calls, got, sdkOpts, cmp.AllowUnexported(calls{})); diff != "" {
				t.Errorf("\n%s\nUpdate(...): -want EC2 calls, +got EC2 calls:\n%s", tc.reason, diff)
			}
		})
	}
}
