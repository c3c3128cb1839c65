// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natinventory

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// A Key names what one snapshot lists: the gateways the provider made in one
// account and region of one EC2 endpoint. Provider configurations that reach
// the same account share one listing, as they share one EC2 API budget, and
// two accounts never share one.
type Key struct {
	// Account is the principal of the client's scope (ec2client.Scope): the
	// AWS account ID the credentials act as, or what else identifies them
	// when it could not be resolved, as for the EC2 API budget.
	Account string

	// Endpoint is the EC2 endpoint; empty for AWS's own.
	Endpoint string

	// Region of the gateways.
	Region string
}

// KeyOf returns the key of the gateways a client of scope s lists.
func KeyOf(s ec2client.Scope) Key {
	return Key{Account: s.Principal(), Endpoint: s.Endpoint, Region: s.Region}
}

// ownedFilters select the gateways made for any managed resource, whatever
// its provider configuration, by the provider's own ownership tag.
func ownedFilters() []types.Filter {
	return []types.Filter{{Name: aws.String("tag-key"), Values: []string{ec2client.TagUID}}}
}

// madeByProvider reports whether tags carry the ownership tag ownedFilters
// selects by. Some EC2-compatible endpoints ignore tag filters, so a listing
// is checked again.
func madeByProvider(tags []types.Tag) bool {
	_, ok := tag(tags, ec2client.TagUID)
	return ok
}

// String names the key in logs: "account 111122223333 in us-east-1".
func (k Key) String() string {
	s := "account " + k.Account + " in " + k.Region
	if k.Endpoint != "" {
		s += " at " + k.Endpoint
	}
	return s
}

// An Owner is the managed resource a gateway was made for.
type Owner struct {
	Namespace string
	Name      string
}

// ownerOf reads the owner of a gateway from its ownership tags. It reports
// false when the gateway does not name one.
func ownerOf(tags []types.Tag) (Owner, bool) {
	ns, _ := tag(tags, resource.ExternalResourceTagKeyNamespace)
	name, ok := tag(tags, resource.ExternalResourceTagKeyName)
	return Owner{Namespace: ns, Name: name}, ok && name != ""
}

// tag returns the value of the tag with key.
func tag(tags []types.Tag, key string) (string, bool) {
	for _, t := range tags {
		if aws.ToString(t.Key) == key {
			return aws.ToString(t.Value), true
		}
	}
	return "", false
}
