// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"strings"
	"unicode/utf8"
)

// maxTags is the number of tags a resource may hold.
const maxTags = 50

// checkTags validates tag keys and values.
func checkTags(tags []tagInput) *APIError {
	for _, t := range tags {
		switch {
		case t.Key == "":
			return clientError(codeInvalidParameterValue, "Tag keys must not be empty.")
		case utf8.RuneCountInString(t.Key) > 127:
			return clientError(codeInvalidParameterValue, "Tag key exceeds the maximum length of 127 characters")
		case utf8.RuneCountInString(t.Value) > 256:
			return clientError(codeInvalidParameterValue, "Tag value exceeds the maximum length of 256 characters")
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return clientError(codeInvalidParameterValue, "Tag keys starting with 'aws:' are reserved for internal use")
		}
	}
	if len(newTags(tags)) > maxTags {
		return clientError(codeTagLimitExceeded, "The maximum number of tags per resource is %d.", maxTags)
	}
	return nil
}

// taggable returns the tags of the resource with the given ID.
func (r *regionState) taggable(id string) (tagMap, *APIError) {
	prefix, _, _ := strings.Cut(id, "-")
	switch prefix {
	case "vpc":
		if v, ok := r.vpcs[id]; ok {
			return v.tags, nil
		}
		return nil, clientError(codeInvalidVpcIDNotFound, "The vpc ID '%s' does not exist", id)
	case "subnet":
		if s, ok := r.subnets[id]; ok {
			return s.tags, nil
		}
		return nil, clientError(codeInvalidSubnetIDNotFound, "The subnet ID '%s' does not exist", id)
	case "eipalloc":
		if a, ok := r.addresses[id]; ok {
			return a.tags, nil
		}
		return nil, clientError(codeInvalidAllocationIDNotFound, "The allocation ID '%s' does not exist", id)
	case "nat":
		if n, ok := r.natGateways[id]; ok {
			return n.tags, nil
		}
		return nil, clientError(codeInvalidNatGatewayIDNotFound, "The natGateway ID '%s' does not exist", id)
	case "rtb":
		if t, ok := r.routeTables[id]; ok {
			return t.tags, nil
		}
		return nil, clientError(codeInvalidRouteTableIDNotFound, "The routeTable ID '%s' does not exist", id)
	}
	return nil, clientError(codeInvalidID, "The ID '%s' is not valid", id)
}

func createTags(c *call) (any, *APIError) {
	ids := c.q.strings("ResourceId")
	if len(ids) == 0 {
		return nil, errMissing("ResourceId")
	}
	tags, err := c.q.tags()
	if err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		return nil, errMissing("Tag")
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	targets := make([]tagMap, 0, len(ids))
	for _, id := range ids {
		t, err := c.r.taggable(id)
		if err != nil {
			return nil, err
		}
		merged := t.copy()
		for _, tag := range tags {
			merged[tag.Key] = tag.Value
		}
		if len(merged) > maxTags {
			return nil, clientError(codeTagLimitExceeded, "The maximum number of tags per resource is %d.", maxTags)
		}
		targets = append(targets, t)
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	for _, t := range targets {
		for _, tag := range tags {
			t[tag.Key] = tag.Value
		}
	}
	return &returnBody{Return: true}, nil
}

func deleteTags(c *call) (any, *APIError) {
	ids := c.q.strings("ResourceId")
	if len(ids) == 0 {
		return nil, errMissing("ResourceId")
	}
	tags, err := c.q.tags()
	if err != nil {
		return nil, err
	}
	for _, t := range tags {
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return nil, clientError(codeInvalidParameterValue, "Tag keys starting with 'aws:' are reserved for internal use")
		}
	}
	targets := make([]tagMap, 0, len(ids))
	for _, id := range ids {
		t, err := c.r.taggable(id)
		if err != nil {
			return nil, err
		}
		targets = append(targets, t)
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	for _, t := range targets {
		if len(tags) == 0 {
			for k := range t {
				delete(t, k)
			}
			continue
		}
		for _, tag := range tags {
			// A tag without a value is deleted whatever its value; a tag
			// with a value (even empty) only when the values are equal.
			if v, ok := t[tag.Key]; ok && (!tag.HasValue || v == tag.Value) {
				delete(t, tag.Key)
			}
		}
	}
	return &returnBody{Return: true}, nil
}
