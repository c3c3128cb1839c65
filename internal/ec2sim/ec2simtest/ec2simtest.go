// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package ec2simtest starts the EC2 simulator for a test and connects the
// unmodified aws-sdk-go-v2 EC2 client to it, so that a test drives the
// simulator through the wire protocol.
package ec2simtest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// Start starts a simulator with o on a free loopback port, stopped when the
// test ends, and returns it with an SDK EC2 client for region. The client
// makes one attempt per call, so that every call is one request.
func Start(t *testing.T, o ec2sim.Options, region string) (*ec2sim.Server, *ec2.Client) {
	t.Helper()
	sim, err := ec2sim.New(o)
	if err != nil {
		t.Fatalf("ec2sim.New(...): %v", err)
	}
	hs := sim.NewHTTPTestServer()
	t.Cleanup(hs.Close)
	return sim, ec2.New(ec2.Options{
		Region:           region,
		BaseEndpoint:     aws.String(hs.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEGRESSKITTEST", "secret", ""),
		RetryMaxAttempts: 1,
	})
}
