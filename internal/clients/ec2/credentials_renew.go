// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// renewMiddlewareID names the middleware that renews expired sessions.
const renewMiddlewareID = "egresskit.io/RenewExpiredSession"

// renewOption returns an SDK client API option that, when EC2 answers that
// the session that signed a request expired or was revoked (RequestExpired,
// AuthFailure), renews the sessions of s once and sends the request again.
// It runs before the retry middleware, so the second try has retries of
// its own and is signed anew; failing again, the error is returned and the
// sessions' backoff keeps STS from being hammered.
func (s *credentialSet) renewOption() func(*middleware.Stack) error {
	m := middleware.FinalizeMiddlewareFunc(renewMiddlewareID, func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		if len(s.sessions) == 0 {
			return next.HandleFinalize(ctx, in)
		}
		used, _ := s.provider.Retrieve(ctx)
		out, md, err := next.HandleFinalize(ctx, in)
		if err == nil || !IsErrorCode(err, CodeRequestExpired, CodeAuthFailure, CodeExpiredToken, CodeInvalidClientTokenID) {
			return out, md, explained(err)
		}
		s.invalidate(ctx, used.AccessKeyID)
		if r, ok := in.Request.(*smithyhttp.Request); ok {
			if rerr := r.RewindStream(); rerr != nil {
				return out, md, err
			}
		}
		out, md, err = next.HandleFinalize(ctx, in)
		return out, md, explained(err)
	})
	return func(st *middleware.Stack) error {
		if _, ok := st.Finalize.Get("Retry"); ok {
			return st.Finalize.Insert(m, "Retry", middleware.Before)
		}
		return st.Finalize.Add(m, middleware.Before)
	}
}

// explained returns the sentence that says why a session could not be
// renewed in place of the SDK's chain of wrapped errors, or err.
func explained(err error) error {
	var ce *credentialsError
	if errors.As(err, &ce) {
		return ce
	}
	return err
}
