// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natinventory

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
)

var errBoom = errors.New("boom")

// key is the key of the gateways made for NATGateways of the
// ClusterProviderConfig default in us-east-1.
var key = Key{Account: "123456789012", Region: "us-east-1"}

// owned returns the ownership tags of NATGateway ns/name using the
// ClusterProviderConfig default.
func owned(ns, name string) map[string]string {
	return map[string]string{
		"crossplane-kind":                "natgateway.ec2.aws.m.egresskit.io",
		"crossplane-name":                name,
		"crossplane-namespace":           ns,
		"crossplane-providerconfig":      "default",
		"crossplane-providerconfig-kind": "ClusterProviderConfig",
		ec2client.TagUID:                 "uid-" + name,
	}
}

// gw returns gateway id in state s with tags.
func gw(id string, s types.NatGatewayState, tags map[string]string) types.NatGateway {
	return types.NatGateway{NatGatewayId: aws.String(id), State: s, Tags: ec2client.Tags(tags)}
}

// byID indexes gateways by ID.
func byID(gws ...types.NatGateway) map[string]types.NatGateway {
	m := make(map[string]types.NatGateway, len(gws))
	for _, g := range gws {
		m[aws.ToString(g.NatGatewayId)] = g
	}
	return m
}

// A lister fakes DescribeNatGateways with pages of gateways: the first page
// answers no NextToken, page n the token "page-n". It records the inputs,
// and fails with err when set.
type lister struct {
	mu     sync.Mutex
	pages  [][]types.NatGateway
	err    error
	inputs []*ec2.DescribeNatGatewaysInput
}

func (l *lister) set(err error, pages ...[]types.NatGateway) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pages, l.err = pages, err
}

func (l *lister) calls() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.inputs)
}

func (l *lister) api() *fake.EC2 {
	return &fake.EC2{MockDescribeNatGateways: func(_ context.Context, in *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.inputs = append(l.inputs, in)
		if l.err != nil {
			return nil, l.err
		}
		n := 0
		if t := aws.ToString(in.NextToken); t != "" {
			var err error
			if n, err = strconv.Atoi(strings.TrimPrefix(t, "page-")); err != nil {
				return nil, &smithy.GenericAPIError{Code: "InvalidNextToken", Message: t}
			}
		}
		out := &ec2.DescribeNatGatewaysOutput{}
		if n < len(l.pages) {
			out.NatGateways = l.pages[n]
		}
		if n+1 < len(l.pages) {
			out.NextToken = aws.String("page-" + strconv.Itoa(n+1))
		}
		return out, nil
	}}
}
