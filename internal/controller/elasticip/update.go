// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// Update makes the address's tags those of the spec plus the ownership tags,
// comparing with the tags Observe just read. Tags beginning with aws: are
// never written nor removed. Every other field is create-only. Update also
// releases the other addresses Observe found tagged for the ElasticIP.
func (e *external) Update(ctx context.Context, cr *v1alpha1.ElasticIP) (managed.ExternalUpdate, error) {
	e.releaseStrays(ctx, cr, e.leftover)
	id := meta.GetExternalName(cr)
	create, remove := ec2client.DiffTags(ec2client.DesiredTags(cr, cr.Spec.ForProvider.Tags), cr.Status.AtProvider.Tags)

	if len(create) > 0 {
		if _, err := e.client.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: ec2client.Tags(create)}); err != nil {
			return managed.ExternalUpdate{}, errors.Wrapf(err, "cannot tag address %s", id)
		}
	}
	if len(remove) > 0 {
		tags := make([]types.Tag, 0, len(remove))
		for _, k := range remove {
			tags = append(tags, types.Tag{Key: aws.String(k)})
		}
		if _, err := e.client.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{id}, Tags: tags}); err != nil {
			return managed.ExternalUpdate{}, errors.Wrapf(err, "cannot remove tags from address %s", id)
		}
	}
	return managed.ExternalUpdate{}, nil
}
