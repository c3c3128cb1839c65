// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/egresskit/provider-aws-egress/apis"
)

// TagUID is the ownership tag that carries the managed resource's UID. With
// the tags of resource.GetExternalTags (crossplane-kind, crossplane-name,
// crossplane-namespace, crossplane-providerconfig and
// crossplane-providerconfig-kind) it ties an EC2 resource to exactly one
// managed resource, so the provider can find what it created even when it
// lost the ID.
const TagUID = "egresskit.io/uid"

// awsTagPrefix marks tags that belong to AWS: never written nor removed.
const awsTagPrefix = "aws:"

// scheme knows the provider's kinds, so ownership tags name the kind even
// of an object whose type metadata is empty, as it is after the API server
// answered a write.
//
//nolint:gochecknoglobals // Built once per process and only read: a scheme is costly to build per call.
var scheme = func() *runtime.Scheme {
	s := runtime.NewScheme()
	if err := apis.AddToScheme(s); err != nil {
		panic(err)
	}
	return s
}()

// OwnershipTags returns the tags that mark an EC2 resource as made for mg.
func OwnershipTags(mg resource.Managed) map[string]string {
	if mg.GetObjectKind().GroupVersionKind().Kind == "" {
		if gvk, err := apiutil.GVKForObject(mg, scheme); err == nil {
			typed, _ := mg.DeepCopyObject().(resource.Managed)
			typed.GetObjectKind().SetGroupVersionKind(gvk)
			mg = typed
		}
	}
	t := resource.GetExternalTags(mg)
	t[TagUID] = string(mg.GetUID())
	return t
}

// DesiredTags merges the user's tags with the ownership tags of mg. The
// ownership tags win.
func DesiredTags(mg resource.Managed, user map[string]string) map[string]string {
	t := make(map[string]string, len(user)+6)
	maps.Copy(t, user)
	maps.Copy(t, OwnershipTags(mg))
	return t
}

// TagMap converts EC2 tags to a map.
func TagMap(tags []types.Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

// Tags converts a map to EC2 tags, sorted by key so requests are
// deterministic.
func Tags(m map[string]string) []types.Tag {
	if len(m) == 0 {
		return nil
	}
	tags := make([]types.Tag, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		tags = append(tags, types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return tags
}

// TagSpecifications returns a tag specification of m for one resource type,
// or nil when m is empty.
func TagSpecifications(rt types.ResourceType, m map[string]string) []types.TagSpecification {
	if len(m) == 0 {
		return nil
	}
	return []types.TagSpecification{{ResourceType: rt, Tags: Tags(m)}}
}

// WithoutAWSTags returns m without the tags that belong to AWS, which the
// provider neither writes nor removes.
func WithoutAWSTags(m map[string]string) map[string]string {
	out := maps.Clone(m)
	maps.DeleteFunc(out, func(k, _ string) bool { return strings.HasPrefix(k, awsTagPrefix) })
	return out
}

// DiffTags compares desired with observed tags. It returns the tags to create
// (missing or with another value) and the keys to delete (observed but not
// desired). Tags with the aws: prefix are never part of the difference.
func DiffTags(desired, observed map[string]string) (create map[string]string, remove []string) {
	create = map[string]string{}
	for k, v := range desired {
		if strings.HasPrefix(k, awsTagPrefix) {
			continue
		}
		if ov, ok := observed[k]; !ok || ov != v {
			create[k] = v
		}
	}
	for k := range observed {
		if strings.HasPrefix(k, awsTagPrefix) {
			continue
		}
		if _, ok := desired[k]; !ok {
			remove = append(remove, k)
		}
	}
	slices.Sort(remove)
	if len(create) == 0 {
		create = nil
	}
	return create, remove
}
