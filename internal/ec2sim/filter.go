// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"slices"
	"strings"
)

// filterValues returns the values of an object for a filter name.
type filterValues func(name string) []string

// checkFilters rejects filter names that the resource kind does not know.
// tag:<key> and tag-key are known to every kind.
func checkFilters(fs []filter, known ...string) *APIError {
	for _, f := range fs {
		if strings.HasPrefix(f.Name, "tag:") && len(f.Name) > len("tag:") {
			continue
		}
		if f.Name == "tag-key" || f.Name == "tag-value" {
			continue
		}
		if !slices.Contains(known, f.Name) {
			return clientError(codeInvalidParameterValue, "The filter '%s' is invalid", f.Name)
		}
	}
	return nil
}

// matchFilters reports whether an object passes every filter: filters are
// ANDed, the values of one filter ORed, and values may hold the wildcards *
// and ?.
func matchFilters(fs []filter, tags tagMap, values filterValues) bool {
	for _, f := range fs {
		var have []string
		switch {
		case strings.HasPrefix(f.Name, "tag:"):
			if v, ok := tags[strings.TrimPrefix(f.Name, "tag:")]; ok {
				have = []string{v}
			}
		case f.Name == "tag-key":
			for k := range tags {
				have = append(have, k)
			}
		case f.Name == "tag-value":
			for _, v := range tags {
				have = append(have, v)
			}
		default:
			have = values(f.Name)
		}
		if !anyMatch(f.Values, have) {
			return false
		}
	}
	return true
}

func anyMatch(patterns, have []string) bool {
	for _, p := range patterns {
		for _, h := range have {
			if wildcardMatch(p, h) {
				return true
			}
		}
	}
	return false
}

// wildcardMatch matches s against a pattern in which * matches any run of
// characters, ? exactly one, and a backslash escapes the next character.
func wildcardMatch(pattern, s string) bool {
	p := []rune(pattern)
	r := []rune(s)
	var match func(i, j int) bool
	memo := map[[2]int]bool{}
	match = func(i, j int) bool {
		key := [2]int{i, j}
		if v, ok := memo[key]; ok {
			return v
		}
		var res bool
		switch {
		case i == len(p):
			res = j == len(r)
		case p[i] == '*':
			res = match(i+1, j) || (j < len(r) && match(i, j+1))
		case p[i] == '?':
			res = j < len(r) && match(i+1, j+1)
		case p[i] == '\\' && i+1 < len(p):
			res = j < len(r) && p[i+1] == r[j] && match(i+2, j+1)
		default:
			res = j < len(r) && p[i] == r[j] && match(i+1, j+1)
		}
		memo[key] = res
		return res
	}
	return match(0, 0)
}
