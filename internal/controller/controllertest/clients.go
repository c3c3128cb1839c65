// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package controllertest

import (
	"context"
	"testing"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// A ClientFactory returns API, or Err, and records the region it was last
// asked for.
type ClientFactory struct {
	API    ec2client.API
	Err    error
	Region string
}

// ClientFor records region and returns f's API and error.
func (f *ClientFactory) ClientFor(_ context.Context, _ resource.ModernManaged, region string) (ec2client.API, error) {
	f.Region = region
	return f.API, f.Err
}

// Refuse returns an EC2 call that fails the test when it is made.
func Refuse[I, O any](t *testing.T, call string) func(context.Context, I) (O, error) {
	t.Helper()
	return func(context.Context, I) (O, error) {
		t.Errorf("%s was called", call)
		var zero O
		return zero, errors.Errorf("%s must not be called", call)
	}
}
