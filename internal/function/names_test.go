// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/function-sdk-go/resource"
)

func TestObjectName(t *testing.T) {
	long := strings.Repeat("a", 250)
	type args struct {
		xr string
		rn resource.Name
	}
	type want struct {
		name string
		err  string
	}
	cases := map[string]struct {
		reason string
		args   args
		want   want
	}{
		"Joined": {
			reason: "A short name should be the XR's name and the resource name joined by a dash.",
			args:   args{xr: "web", rn: routeName(zoneA, "rtb-0000000a")},
			want:   want{name: "web-route-us-east-1a-rtb-0000000a"},
		},
		"Long": {
			reason: "A name longer than 253 characters should be cut and end in a hash of the full name.",
			args:   args{xr: long, rn: natName(zoneA, "")},
			want:   want{name: long[:242] + "-2fab1e1662"},
		},
		"LongOtherZone": {
			reason: "Names cut from different full names should differ.",
			args:   args{xr: long, rn: natName(zoneB, "")},
			want:   want{name: long[:242] + "-92ff0ff7c0"},
		},
		"CutAtDot": {
			reason: "A cut that ends in a dot should drop it, so the name stays valid.",
			args:   args{xr: strings.Repeat("a", 241) + ".bbbbbbbbbbbbbbbb", rn: natName(zoneA, "")},
			want:   want{name: strings.Repeat("a", 241) + "-972162c525"},
		},
		"Invalid": {
			reason: "A name that is not a DNS subdomain should be an error.",
			args:   args{xr: "Web", rn: natName(zoneA, "")},
			want:   want{err: `"Web-nat-us-east-1a" is not a valid name for composed resource nat-us-east-1a: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := objectName(tc.args.xr, tc.args.rn)
			if diff := cmp.Diff(tc.want.name, got); diff != "" {
				t.Errorf("\n%s\nobjectName(...): -want, +got:\n%s", tc.reason, diff)
			}
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if diff := cmp.Diff(tc.want.err, gotErr); diff != "" {
				t.Errorf("\n%s\nobjectName(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if len(got) > 253 {
				t.Errorf("\n%s\nobjectName(...): %d characters, want at most 253", tc.reason, len(got))
			}
		})
	}
}
