// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/natinventory"
)

// A tagLog records the CreateTags calls of a fake, which wait until gate is
// closed, and fails those of the gateways in fail.
type tagLog struct {
	fail map[string]bool
	gate chan struct{}

	mu    sync.Mutex
	calls []string
}

func (l *tagLog) api() *fake.EC2 {
	return &fake.EC2{MockCreateTags: func(_ context.Context, in *ec2.CreateTagsInput) (*ec2.CreateTagsOutput, error) {
		<-l.gate
		id := in.Resources[0]
		l.mu.Lock()
		defer l.mu.Unlock()
		l.calls = append(l.calls, id+" "+aws.ToString(in.Tags[0].Key)+"="+aws.ToString(in.Tags[0].Value))
		if l.fail[id] {
			return nil, errBoom
		}
		return &ec2.CreateTagsOutput{}, nil
	}}
}

func TestTagger(t *testing.T) {
	type want struct {
		calls    []string
		touched  []string
		owners   []string
		resubmit []bool
	}
	cases := map[string]struct {
		reason string
		fail   map[string]bool
		ids    []string
		want   want
	}{
		"Tagged": {
			reason: "Each gateway is tagged in the order submitted, once however often it is submitted while it waits, with no reconcile of its NATGateway (the next listing brings it); one submitted again after that is queued again.",
			ids:    []string{"nat-1", "nat-2", "nat-2"},
			want: want{
				calls:    []string{"nat-1 " + ec2client.TagUID + "=uid", "nat-2 " + ec2client.TagUID + "=uid"},
				touched:  []string{"nat-1", "nat-2"},
				resubmit: []bool{true, true},
			},
		},
		"Failed": {
			reason: "A failed attempt reconciles the NATGateway at once, and the next submit of the gateway is refused, so the reconcile tags it itself and shows the error.",
			fail:   map[string]bool{"nat-2": true},
			ids:    []string{"nat-1", "nat-2", "nat-2"},
			want: want{
				calls:    []string{"nat-1 " + ec2client.TagUID + "=uid", "nat-2 " + ec2client.TagUID + "=uid"},
				touched:  []string{"nat-1", "nat-2"},
				owners:   []string{"default/egress-a"},
				resubmit: []bool{true, false},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			log := &tagLog{fail: tc.fail, gate: make(chan struct{})}
			touches := make(chan string, 2*len(tc.ids))
			tg := newTagger(func(_ natinventory.Key, id string) { touches <- id })
			cr := natGateway()
			k := natinventory.Key{Account: "123456789012", Region: "us-east-1"}
			tags := map[string]string{ec2client.TagUID: "uid"}

			if tg.submit(k, log.api(), cr, "nat-1", tags) {
				t.Fatalf("\n%s\nsubmit before Start: got true, want false", tc.reason)
			}
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error)
			go func() { done <- tg.Start(ctx) }()
			for !started(tg) {
				runtime.Gosched()
			}

			// The first gateway's call waits until the others are queued.
			for _, id := range tc.ids {
				if !tg.submit(k, log.api(), cr, id, tags) {
					t.Fatalf("\n%s\nsubmit %s after Start: got false, want true", tc.reason, id)
				}
			}
			close(log.gate)
			// Each call touches its gateway; a failed one then sends an
			// event, which the tagger waits to hand over.
			var touched, owners []string
			for range tc.want.calls {
				id := <-touches
				touched = append(touched, id)
				if tc.fail[id] {
					owners = append(owners, (<-tg.events).Object.String())
				}
			}
			resubmit := make([]bool, 0, 2)
			for _, id := range []string{"nat-1", "nat-2"} {
				resubmit = append(resubmit, tg.submit(k, log.api(), cr, id, tags))
			}
			// Let the tagger tag what was queued again, then stop it.
			for _, ok := range resubmit {
				if ok {
					<-touches
				}
			}
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Start: %v", err)
			}

			got := want{calls: log.calls[:len(tc.want.calls)], touched: touched, owners: owners, resubmit: resubmit}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("\n%s\n-want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// started reports whether t was started.
func started(t *tagger) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ctx != nil
}

func TestUpdateTagsLater(t *testing.T) {
	cases := map[string]struct {
		reason string
		tagger bool
		cr     *v1alpha1.NATGateway
		want   []string
	}{
		"OwnershipToTagger": {
			reason: "An imported gateway lacking only its ownership tags is tagged by the tagger, not in the reconcile.",
			tagger: true,
			cr:     natGateway(withExternalName(natID)),
		},
		"UserTagsInReconcile": {
			reason: "A gateway lacking a tag of the spec is tagged in the reconcile, ownership tags with it, so an error shows in its conditions.",
			tagger: true,
			cr:     natGateway(withExternalName(natID), withTags(map[string]string{"team": "net"})),
			want:   []string{natID},
		},
		"NoTagger": {
			reason: "Without a tagger the reconcile writes the ownership tags.",
			cr:     natGateway(withExternalName(natID)),
			want:   []string{natID},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var tagged []string
			api := &fake.EC2{MockCreateTags: func(_ context.Context, in *ec2.CreateTagsInput) (*ec2.CreateTagsOutput, error) {
				tagged = append(tagged, in.Resources...)
				return &ec2.CreateTagsOutput{}, nil
			}}
			e, _ := newExternal(ec2client.Explaining(api, ec2client.Scope{Region: "us-east-1"}), time.Now())
			if tc.tagger {
				e.tagger = newTagger(func(natinventory.Key, string) {})
				// A started tagger whose worker is never run: the test sees
				// only what the reconcile calls.
				e.tagger.ctx = t.Context()
				e.tagger.queues[e.inventoryKey("us-east-1")] = &tagQueue{jobs: map[string]tagJob{}}
			}
			if err := e.updateTags(t.Context(), tc.cr, natID, computeDrift(tc.cr)); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, tagged); diff != "" {
				t.Errorf("\n%s\nCreateTags in the reconcile: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
