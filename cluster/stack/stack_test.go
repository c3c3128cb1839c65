// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package stack

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

func TestCredentials(t *testing.T) {
	s := &Stack{SecretKey: "s3cret"}
	a, b := s.Credentials("team-a"), s.Credentials("team-b")
	if a == b || a != s.Credentials("team-a") {
		t.Errorf("credentials of team-a %+v and team-b %+v: want distinct per account and stable", a, b)
	}
	if len(a.AccessKeyID) != 20 || !strings.HasPrefix(a.AccessKeyID, "AKIA") {
		t.Errorf("access key %q: want AKIA and 16 more characters, as AWS's", a.AccessKeyID)
	}
	got, err := ec2client.ParseProfile([]byte(a.Profile()))
	if err != nil {
		t.Fatalf("the provider cannot read the profile: %v", err)
	}
	if diff := cmp.Diff([]string{a.AccessKeyID, "s3cret"}, []string{got.AccessKeyID, got.SecretAccessKey}); diff != "" {
		t.Errorf("profile as the provider reads it: -want +got:\n%s", diff)
	}
}

func TestEC2SimArgs(t *testing.T) {
	cases := map[string]struct {
		reason string
		o      EC2SimOptions
		want   []string
	}{
		"Defaults": {
			reason: "Zero durations keep ec2sim's defaults; no secret means unsigned requests are served.",
			want:   []string{"--listen=127.0.0.1:4566"},
		},
		"Everything": {
			reason: "Durations, the secret and further flags are passed in order.",
			o: EC2SimOptions{
				Durations: ec2sim.Durations{Pending: time.Second, Deleting: 2 * time.Second, Retention: time.Minute, Consistency: 500 * time.Millisecond},
				SecretKey: "s",
				Args:      []string{"--no-throttle"},
			},
			want: []string{"--listen=127.0.0.1:4566", "--pending=1s", "--deleting=2s", "--retention=1m0s", "--consistency=500ms", "--secret=s", "--no-throttle"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.o.args(4566)); diff != "" {
				t.Errorf("%s\nargs: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestChecks(t *testing.T) {
	gw := func(cs ...xpv2.Condition) *v1alpha1.NATGateway {
		g := &v1alpha1.NATGateway{}
		g.SetConditions(cs...)
		return g
	}
	cases := map[string]struct {
		reason string
		check  Check
		obj    *v1alpha1.NATGateway
		want   string // part of the error; empty for none
	}{
		"Ready": {
			reason: "Synced and Ready are both True.",
			check:  Ready(),
			obj:    gw(xpv2.ReconcileSuccess(), xpv2.Available()),
		},
		"NotSynced": {
			reason: "A reconcile error is not Ready, whatever the Ready condition says.",
			check:  Ready(),
			obj:    gw(xpv2.ReconcileError(errTest), xpv2.Available()),
			want:   "want Synced=True",
		},
		"NotReady": {
			reason: "An unavailable resource is not Ready.",
			check:  Ready(),
			obj:    gw(xpv2.ReconcileSuccess(), xpv2.Unavailable()),
			want:   "want Ready=True",
		},
		"MessageMatches": {
			reason: "A condition matches when its message holds the part.",
			check:  HasCondition(xpv2.TypeSynced, corev1.ConditionFalse, "boom"),
			obj:    gw(xpv2.ReconcileError(errTest)),
		},
		"MessageDiffers": {
			reason: "A condition does not match when neither its message nor its reason holds the part.",
			check:  HasCondition(xpv2.TypeSynced, corev1.ConditionFalse, "AuthFailure"),
			obj:    gw(xpv2.ReconcileError(errTest)),
			want:   `have Synced=False (ReconcileError) "boom"`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := tc.check(tc.obj)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("%s\nunexpected error: %v", tc.reason, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("%s\nerror %v, want one with %q", tc.reason, err, tc.want)
			}
		})
	}
}

type testError string

func (e testError) Error() string { return string(e) }

const errTest = testError("boom")

func TestReadObjects(t *testing.T) {
	s, err := NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	objs, err := ReadObjects(s, "examples/provider/egress.yaml")
	if err != nil {
		t.Fatal(err)
	}
	kinds := make([]string, 0, len(objs))
	for _, o := range objs {
		kinds = append(kinds, Kind(o)+" "+o.GetNamespace()+"/"+o.GetName())
	}
	want := []string{"ElasticIP default/egress-a", "NATGateway default/egress-a", "Route default/egress-a-default"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("objects of egress.yaml: -want +got:\n%s", diff)
	}
	if _, ok := objs[1].(*v1alpha1.NATGateway); !ok {
		t.Errorf("the NATGateway is a %T, want typed", objs[1])
	}

	dir := t.TempDir()
	for name, tc := range map[string]struct {
		data string
		want string // part of the error; empty for none
		n    int
	}{
		"comments.yaml": {data: "# only words\n---\n# more words\n", n: 0},
		"unknown.yaml":  {data: "apiVersion: example.org/v1\nkind: Thing\nmetadata:\n  name: x\n", want: "cannot decode"},
		"typo.yaml":     {data: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\nspecc: {}\n", want: "unknown field"},
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(tc.data), 0o600); err != nil {
			t.Fatal(err)
		}
		objs, err := ReadObjects(s, path)
		switch {
		case tc.want == "" && (err != nil || len(objs) != tc.n):
			t.Errorf("%s: %d objects, error %v; want %d and none", name, len(objs), err, tc.n)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one with %q", name, err, tc.want)
		}
	}
}

func TestKind(t *testing.T) {
	typed := &v1alpha1.Route{}
	meta := &metav1.PartialObjectMetadata{TypeMeta: metav1.TypeMeta{Kind: "Widget"}}
	if got := Kind(typed) + "," + Kind(meta); got != "Route,Widget" {
		t.Errorf("Kind: got %s, want Route,Widget", got)
	}
}

func TestBuildUnknownCommand(t *testing.T) {
	_, err := Build(t.Context(), t.TempDir(), io.Discard, CmdProvider, "./cmd/nope")
	if err == nil || !strings.Contains(err.Error(), "cannot build ./cmd/nope") {
		t.Errorf("Build of an unknown command: %v, want an error naming it", err)
	}
}
