// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// params holds the flattened ec2Query parameters of one request and records
// which of them a handler read, so that the rest can be rejected as unknown.
type params struct {
	values   map[string]string
	used     map[string]bool
	prefixes map[string]bool
}

func newParams(v url.Values) *params {
	p := &params{values: make(map[string]string, len(v)), used: make(map[string]bool, len(v)), prefixes: map[string]bool{}}
	for k, vs := range v {
		if len(vs) == 0 {
			continue
		}
		p.values[k] = vs[len(vs)-1]
		for i := range len(k) {
			if k[i] == '.' {
				p.prefixes[k[:i]] = true
			}
		}
	}
	return p
}

// view reads the parameters under a prefix such as "Filter.1.".
type view struct {
	p      *params
	prefix string
}

func (p *params) root() view { return view{p: p} }

func (v view) key(name string) string { return v.prefix + name }

// str returns a scalar and whether it was present.
func (v view) str(name string) (string, bool) {
	k := v.key(name)
	s, ok := v.p.values[k]
	if ok {
		v.p.used[k] = true
	}
	return s, ok
}

// opt returns a scalar or "".
func (v view) opt(name string) string {
	s, _ := v.str(name)
	return s
}

// required returns a scalar or a MissingParameter error when it is absent or
// empty.
func (v view) required(name string) (string, *APIError) {
	s, ok := v.str(name)
	if !ok || s == "" {
		return "", errMissing(name)
	}
	return s, nil
}

// boolean parses an optional boolean.
func (v view) boolean(name string) (bool, *APIError) {
	s, ok := v.str(name)
	if !ok {
		return false, nil
	}
	switch strings.ToLower(s) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, errInvalidValue(name, s, "Expected: 'boolean'.")
}

// integer parses an optional integer; present reports whether it was sent.
func (v view) integer(name string, minimum, maximum int) (n int, present bool, err *APIError) {
	s, ok := v.str(name)
	if !ok {
		return 0, false, nil
	}
	i, perr := strconv.Atoi(s)
	if perr != nil {
		return 0, true, errInvalidValue(name, s, "Expected: 'integer'.")
	}
	if i < minimum || i > maximum {
		return 0, true, errInvalidValue(name, s, "Expecting a value between "+strconv.Itoa(minimum)+" and "+strconv.Itoa(maximum)+".")
	}
	return i, true, nil
}

// count returns the number of list members Name.1, Name.2, ... present
// without a gap. A member is present when any key starts with Name.N, so
// lists of structures are counted too.
func (v view) count(name string) int {
	n := 0
	for {
		k := v.key(name) + "." + strconv.Itoa(n+1)
		if !v.p.hasPrefix(k) {
			return n
		}
		n++
	}
}

func (p *params) hasPrefix(k string) bool {
	_, ok := p.values[k]
	return ok || p.prefixes[k]
}

// strings returns the scalar list Name.1, Name.2, ...
func (v view) strings(name string) []string {
	n := v.count(name)
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, v.opt(name+"."+strconv.Itoa(i)))
	}
	return out
}

// member returns the view of the structure Name.i.
func (v view) member(name string, i int) view {
	return view{p: v.p, prefix: v.key(name) + "." + strconv.Itoa(i) + "."}
}

// unknown returns an UnknownParameter error for the first parameter no
// handler read.
func (p *params) unknown() *APIError {
	var left []string
	for k := range p.values {
		if !p.used[k] {
			left = append(left, k)
		}
	}
	if len(left) == 0 {
		return nil
	}
	sort.Strings(left)
	return clientError(codeUnknownParameter, "The parameter %s is not recognized", left[0])
}

// canonical renders the parameters, except the ones named, in a stable form
// used to compare idempotent requests.
func (p *params) canonical(except ...string) string {
	skip := map[string]bool{}
	for _, e := range except {
		skip[e] = true
	}
	keys := make([]string, 0, len(p.values))
	for k := range p.values {
		if !skip[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(url.QueryEscape(k))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p.values[k]))
		b.WriteByte('&')
	}
	return b.String()
}

// A filter is one Filter.N with its values.
type filter struct {
	Name   string
	Values []string
}

// filters parses Filter.N.Name and Filter.N.Value.M.
func (v view) filters() ([]filter, *APIError) {
	n := v.count("Filter")
	out := make([]filter, 0, n)
	for i := 1; i <= n; i++ {
		m := v.member("Filter", i)
		name, ok := m.str("Name")
		if !ok || name == "" {
			return nil, clientError(codeInvalidParameterValue, "The filter 'null' is invalid")
		}
		out = append(out, filter{Name: name, Values: m.strings("Value")})
	}
	return out, nil
}

// A tagInput is a Tag.N with an optional value.
type tagInput struct {
	Key      string
	Value    string
	HasValue bool
}

// tags parses Tag.N.Key and Tag.N.Value.
func (v view) tags() ([]tagInput, *APIError) {
	n := v.count("Tag")
	out := make([]tagInput, 0, n)
	for i := 1; i <= n; i++ {
		m := v.member("Tag", i)
		k, ok := m.str("Key")
		if !ok {
			return nil, errMissing("Tag." + strconv.Itoa(i) + ".Key")
		}
		val, hasVal := m.str("Value")
		out = append(out, tagInput{Key: k, Value: val, HasValue: hasVal})
	}
	return out, nil
}

// tagSpecifications parses TagSpecification.N for one resource type.
func (v view) tagSpecifications(resourceType string) ([]tagInput, *APIError) {
	n := v.count("TagSpecification")
	var out []tagInput
	for i := 1; i <= n; i++ {
		m := v.member("TagSpecification", i)
		rt := m.opt("ResourceType")
		if rt != resourceType {
			return nil, clientError(codeInvalidParameterValue, "'%s' is not a valid taggable resource type for this operation.", rt)
		}
		t, err := m.tags()
		if err != nil {
			return nil, err
		}
		out = append(out, t...)
	}
	return out, nil
}
