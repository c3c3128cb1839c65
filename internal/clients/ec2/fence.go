// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// A Fence says whether the process may still change EC2: nil when it may,
// else why not. A replica that may have lost its leader lease must not, or
// it and the new leader both write.
type Fence func() error

// WithFence makes every client check fence before each attempt of a
// request that changes EC2, and fail the request when the fence is closed.
// Requests that only read go through.
func WithFence(fence Fence) FactoryOption {
	return func(f *factory) {
		f.fence = fence
	}
}

// fenceMiddlewareID names the fence middleware in an SDK stack.
const fenceMiddlewareID = "egresskit.io/Fence"

// APIOption returns an SDK client API option that checks the fence last in
// the finalize step, after the retry and budget middlewares: right before a
// request attempt is sent, however long it waited for a token.
func (fence Fence) APIOption() func(*middleware.Stack) error {
	m := middleware.FinalizeMiddlewareFunc(fenceMiddlewareID, func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		if op := awsmiddleware.GetOperationName(ctx); changes(op) {
			if err := fence(); err != nil {
				return middleware.FinalizeOutput{}, middleware.Metadata{}, errors.Wrapf(err, "cannot call %s", op)
			}
		}
		return next.HandleFinalize(ctx, in)
	})
	return func(s *middleware.Stack) error {
		return s.Finalize.Add(m, middleware.After)
	}
}

// changes reports whether an EC2 operation may change something: every
// operation but those of the non-mutating bucket.
func changes(op string) bool {
	return BucketFor(op) != BucketNonMutating && !strings.HasPrefix(op, "Describe")
}
