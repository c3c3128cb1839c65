// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natinventory

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// A Key names what one snapshot lists: the gateways made for managed
// resources of one provider configuration, in one region. It follows the EC2
// client factory, which keeps a client per provider configuration and
// region.
type Key struct {
	// ConfigKind is ProviderConfig or ClusterProviderConfig.
	ConfigKind string

	// ConfigNamespace is the namespace of a ProviderConfig, which is that of
	// the managed resources using it; empty for a ClusterProviderConfig.
	ConfigNamespace string

	// ConfigName is the name of the provider configuration.
	ConfigName string

	// Region of the gateways.
	Region string
}

// filters select the gateways of k by their ownership tags.
func (k Key) filters() []types.Filter {
	fs := []types.Filter{
		{Name: aws.String("tag-key"), Values: []string{ec2client.TagUID}},
		{Name: aws.String("tag:" + resource.ExternalResourceTagKeyProviderConfigKind), Values: []string{k.ConfigKind}},
		{Name: aws.String("tag:" + resource.ExternalResourceTagKeyProvider), Values: []string{k.ConfigName}},
	}
	if k.ConfigNamespace != "" {
		fs = append(fs, types.Filter{Name: aws.String("tag:" + resource.ExternalResourceTagKeyNamespace), Values: []string{k.ConfigNamespace}})
	}
	return fs
}

// matches reports whether tags pass the filters of k. Some EC2-compatible
// endpoints ignore tag filters, so a listing is checked again.
func (k Key) matches(tags []types.Tag) bool {
	if _, ok := tag(tags, ec2client.TagUID); !ok {
		return false
	}
	if kind, _ := tag(tags, resource.ExternalResourceTagKeyProviderConfigKind); kind != k.ConfigKind {
		return false
	}
	if name, _ := tag(tags, resource.ExternalResourceTagKeyProvider); name != k.ConfigName {
		return false
	}
	ns, _ := tag(tags, resource.ExternalResourceTagKeyNamespace)
	return k.ConfigNamespace == "" || ns == k.ConfigNamespace
}

// String names the key in logs: "ClusterProviderConfig default in
// us-east-1".
func (k Key) String() string {
	c := k.ConfigName
	if k.ConfigNamespace != "" {
		c = k.ConfigNamespace + "/" + c
	}
	return k.ConfigKind + " " + c + " in " + k.Region
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
