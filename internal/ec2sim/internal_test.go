// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWildcardMatch(t *testing.T) {
	cases := map[string]struct {
		reason  string
		pattern string
		s       string
		want    bool
	}{
		"Exact":         {reason: "A plain value matches itself.", pattern: "nat-1", s: "nat-1", want: true},
		"CaseSensitive": {reason: "Matching is case-sensitive.", pattern: "Blue", s: "blue", want: false},
		"Star":          {reason: "* matches any run.", pattern: "prod-*", s: "prod-eu-1", want: true},
		"StarEmpty":     {reason: "* matches nothing too.", pattern: "prod*", s: "prod", want: true},
		"Question":      {reason: "? matches exactly one.", pattern: "az?", s: "az1", want: true},
		"QuestionNone":  {reason: "? does not match nothing.", pattern: "az?", s: "az", want: false},
		"Escaped":       {reason: "A backslash makes * literal.", pattern: `a\*b`, s: "a*b", want: true},
		"EscapedMiss":   {reason: "An escaped * matches only *.", pattern: `a\*b`, s: "axb", want: false},
		"Prefix":        {reason: "A pattern must match the whole value.", pattern: "prod", s: "prod-1", want: false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := wildcardMatch(tc.pattern, tc.s); got != tc.want {
				t.Errorf("%s\nwildcardMatch(%q, %q) = %v, want %v", tc.reason, tc.pattern, tc.s, got, tc.want)
			}
		})
	}
}

func TestZonesOf(t *testing.T) {
	cases := map[string]struct {
		region string
		want   []zone
	}{
		"UsEast1":      {region: "us-east-1", want: []zone{{"us-east-1a", "use1-az1"}, {"us-east-1b", "use1-az2"}, {"us-east-1c", "use1-az3"}}},
		"ApSoutheast2": {region: "ap-southeast-2", want: []zone{{"ap-southeast-2a", "apse2-az1"}, {"ap-southeast-2b", "apse2-az2"}, {"ap-southeast-2c", "apse2-az3"}}},
		"Odd":          {region: "local", want: []zone{{"locala", "local-az1"}, {"localb", "local-az2"}, {"localc", "local-az3"}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, zonesOf(tc.region), cmp.AllowUnexported(zone{})); diff != "" {
				t.Errorf("zonesOf(%q): -want +got:\n%s", tc.region, diff)
			}
		})
	}
}

func TestParams(t *testing.T) {
	p := newParams(url.Values{
		"Filter.1.Name": {"state"}, "Filter.1.Value.1": {"a"}, "Filter.1.Value.2": {"b"},
		"Filter.2.Name": {"tag:x"}, "Filter.2.Value.1": {""},
		"Tag.1.Key": {"k"}, "Tag.2.Key": {"e"}, "Tag.2.Value": {""},
		"Id.1": {"x"}, "Id.3": {"gap"},
	})
	q := p.root()
	fs, err := q.filters()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]filter{{Name: "state", Values: []string{"a", "b"}}, {Name: "tag:x", Values: []string{""}}}, fs); diff != "" {
		t.Errorf("filters: -want +got:\n%s", diff)
	}
	tags, err := q.tags()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]tagInput{{Key: "k"}, {Key: "e", HasValue: true}}, tags); diff != "" {
		t.Errorf("tags: -want +got:\n%s", diff)
	}
	if diff := cmp.Diff([]string{"x"}, q.strings("Id")); diff != "" {
		t.Errorf("list with a gap: -want +got:\n%s", diff)
	}
	if e := p.unknown(); e == nil || e.Code != codeUnknownParameter {
		t.Errorf("unknown(): got %v, want UnknownParameter for Id.3", e)
	}
}

func TestPager(t *testing.T) {
	p := newPager()
	ids := []string{"a", "b", "c", "d", "e", "f", "g"}
	var got []string
	var tokens []string
	pr := pageRequest{max: 3}
	for {
		page, next, err := p.paginate("scope", append([]string(nil), ids...), pr)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page...)
		if next == "" {
			break
		}
		tokens = append(tokens, next)
		pr.token = next
	}
	if diff := cmp.Diff(ids, got); diff != "" {
		t.Errorf("pages: -want +got:\n%s", diff)
	}
	if len(tokens) != 2 {
		t.Errorf("tokens: %v, want 2", tokens)
	}
	if _, _, err := p.paginate("other-scope", ids, pageRequest{max: 3, token: tokens[0]}); err == nil || err.Code != codeInvalidNextToken {
		t.Errorf("token of another scope: got %v, want InvalidNextToken", err)
	}
	if _, _, err := newPager().paginate("scope", ids, pageRequest{max: 3, token: tokens[0]}); err == nil {
		t.Errorf("token of another server: accepted")
	}
}
