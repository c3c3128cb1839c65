// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// NewAPI returns c as the provider's API; every client the ClientFactory
// builds is one. Every call keeps c's standard retryer but those EC2 cannot
// recognise as a repeat. The standard retryer repeats a call after a 5xx or a lost connection, when EC2 may well have applied it,
// which for these calls makes a second effect:
//
//   - AllocateAddress takes no client token: a repeat allocates a second
//     address.
//   - AssignPrivateNatGatewayAddress with a count assigns that many more
//     addresses again.
//   - CreateRoute: a repeat of an applied create answers RouteAlreadyExists
//     for the route the first attempt made, which the Route controller must
//     read as a route made by someone else.
//
// These are retried only after an error that proves EC2 did not apply them
// (see unapplied); any other error reaches the controller, whose next
// reconcile looks for what the uncertain call may have made before calling
// again. The other calls are idempotent: CreateNatGateway carries a
// ClientToken, and a repeated delete, replace, release, tag or association
// either does nothing more or is refused without a change.
func NewAPI(c *ec2.Client) API {
	return newSDKClient(c)
}

// maxAttempts is how often an EC2 call is tried before its error reaches the
// controller, against the standard retryer's 3, which STS keeps. A server error that reaches
// it waits for the reconcile's backoff and, for a create during a mass
// creation, behind the other creates in the EC2 API budget: at a 10% error
// rate three attempts all fail once in 1,000 calls, five once in 100,000.
const maxAttempts = 5

// withoutRetryQuota drops the standard retryer's client-side retry quota.
// The quota pays for each retry from a bucket that only successes refill, so
// under a steady rate of server errors it runs dry and every later error
// reaches the controller unretried; the EC2 API budget already paces the
// provider's requests, retries included.
func withoutRetryQuota(o *retry.StandardOptions) {
	o.RateLimiter = ratelimit.None
}

// ec2Retries are the standard retryer's options of EC2 calls: maxAttempts,
// without the retry quota.
func ec2Retries(o *retry.StandardOptions) {
	withoutRetryQuota(o)
	o.MaxAttempts = maxAttempts
}

// unapplied returns the checks of the errors after which EC2 cannot have
// applied a request: it refused it for the request rate (EC2 throttles
// before acting), or the request never left the client (a cancelled context,
// a refused or failed dial).
func unapplied() []retry.IsErrorRetryable {
	return []retry.IsErrorRetryable{
		retry.NoRetryCanceledError{},
		retry.RetryableErrorCode{Codes: retry.DefaultThrottleErrorCodes},
		retry.IsErrorRetryableFunc(notSent),
	}
}

// notSent reports an error of a connection that was never made.
func notSent(err error) aws.Ternary {
	var op *net.OpError
	if errors.As(err, &op) && strings.EqualFold(op.Op, "dial") {
		return aws.TrueTernary
	}
	return aws.UnknownTernary
}

// retryOnce makes a call use the retryer of non-idempotent calls.
func (c *sdkClient) retryOnce(opts []func(*ec2.Options)) []func(*ec2.Options) {
	return append(opts, func(o *ec2.Options) { o.Retryer = c.once })
}

// Uncertain reports whether EC2 may have applied a request that failed with
// err: the answer was a server error, or it never arrived although the
// request was sent. A refusal (a 4xx answer), a request that was never sent
// and a cancelled one were not applied.
func Uncertain(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || notSent(err) == aws.TrueTernary {
		return false
	}
	if re, ok := errors.AsType[*smithyhttp.ResponseError](err); ok {
		return re.HTTPStatusCode() >= http.StatusInternalServerError
	}
	if ae, ok := errors.AsType[smithy.APIError](err); ok {
		return ae.ErrorFault() == smithy.FaultServer
	}
	return true
}
