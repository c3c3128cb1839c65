// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// allocateAttempts is how often allocate asks EC2 for an address while the
// answers stay uncertain: as often as the SDK's standard retryer would.
const allocateAttempts = 3

// allocate allocates an address for cr and returns its allocation ID.
//
// The client does not repeat AllocateAddress after an uncertain answer (a
// server error or a lost answer, after which EC2 may have allocated one), so
// allocate does, but only after it found no address tagged as cr's: a
// transient error costs no reconcile, and a lost answer no second address.
// Should EC2 not list an address it allocated yet, the second one is
// released later as a stray (see releaseStrays).
func (e *external) allocate(ctx context.Context, cr *v1alpha1.ElasticIP) (string, error) {
	var err error
	for range allocateAttempts {
		out, aerr := e.client.AllocateAddress(ctx, generateAllocateInput(cr))
		if aerr == nil {
			id := aws.ToString(out.AllocationId)
			if id == "" {
				return "", errors.New("cannot allocate address: EC2 returned no allocation ID")
			}
			return id, nil
		}
		err = aerr
		if !ec2client.Uncertain(err) {
			break
		}
		owned, lerr := e.owned(ctx, cr)
		if lerr != nil {
			break
		}
		if len(owned) > 0 {
			e.releaseStrays(ctx, cr, owned[1:])
			return owned[0], nil
		}
	}
	return "", errors.Wrap(err, "cannot allocate address")
}
