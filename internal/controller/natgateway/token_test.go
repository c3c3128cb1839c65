// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/types"
)

func TestClientToken(t *testing.T) {
	type args struct {
		uid        types.UID
		previousID string
	}
	// The expected tokens are pinned: a provider upgrade that changed them
	// would duplicate every gateway whose creation is in flight.
	cases := map[string]struct {
		reason string
		args   args
		want   string
	}{
		"FirstGateway": {
			reason: "The first gateway of a resource has a token derived from its UID and an empty previous ID.",
			args:   args{uid: "0e4b5a5c-8b9e-4d47-9d5e-2f1f8f3e6a10"},
			want:   "egk-aed5991edff3e037b1af96e139a8d35d4c073a87",
		},
		"Replacement": {
			reason: "A replacement's token is derived from the UID and the ID of the gateway it replaces.",
			args:   args{uid: "0e4b5a5c-8b9e-4d47-9d5e-2f1f8f3e6a10", previousID: "nat-0a1b2c3d4e5f60718"},
			want:   "egk-64cd762d056f9a094246f5d99236e26b1ccd3e73",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := clientToken(tc.args.uid, tc.args.previousID)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\nclientToken(...): -want, +got:\n%s", tc.reason, diff)
			}
			if len(got) > 64 {
				t.Errorf("\n%s\nclientToken(...): %d characters, EC2 accepts at most 64", tc.reason, len(got))
			}
		})
	}
}

func TestClientTokenDistinct(t *testing.T) {
	uid := types.UID("0e4b5a5c-8b9e-4d47-9d5e-2f1f8f3e6a10")
	cases := map[string]struct {
		reason string
		a, b   string
	}{
		"OtherPreviousID": {
			reason: "Replacing another gateway must use another token, or EC2 would answer with the earlier gateway.",
			a:      clientToken(uid, "nat-0a1b2c3d4e5f60718"),
			b:      clientToken(uid, "nat-0a1b2c3d4e5f60719"),
		},
		"FirstVersusReplacement": {
			reason: "The first gateway and its replacement must use different tokens.",
			a:      clientToken(uid, ""),
			b:      clientToken(uid, "nat-0a1b2c3d4e5f60718"),
		},
		"OtherResource": {
			reason: "Two resources replacing the same ID (e.g. after an import) must use different tokens.",
			a:      clientToken(uid, "nat-0a1b2c3d4e5f60718"),
			b:      clientToken("5d1c7f0e-3a2b-4c6d-8e9f-0a1b2c3d4e5f", "nat-0a1b2c3d4e5f60718"),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.a == tc.b {
				t.Errorf("\n%s\nboth tokens are %q", tc.reason, tc.a)
			}
		})
	}
}
