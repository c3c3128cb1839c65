// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natinventory

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/crossplane-runtime/v2/pkg/test"

	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
)

// A gate fakes DescribeNatGateways by the nat-gateway-id filter over known
// gateways. Each call records the IDs it asked for and, until release is
// closed, waits.
type gate struct {
	known   map[string]types.NatGateway
	err     error
	release chan struct{}
	started chan struct{}

	mu    sync.Mutex
	calls [][]string
}

func (g *gate) api() *fake.EC2 {
	return &fake.EC2{MockDescribeNatGateways: func(_ context.Context, in *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
		ids := slices.Sorted(slices.Values(in.Filter[0].Values))
		g.mu.Lock()
		g.calls = append(g.calls, ids)
		g.mu.Unlock()
		g.started <- struct{}{}
		<-g.release
		if g.err != nil {
			return nil, g.err
		}
		out := &ec2.DescribeNatGatewaysOutput{}
		for _, id := range ids {
			if gw, ok := g.known[id]; ok {
				out.NatGateways = append(out.NatGateways, gw)
			}
		}
		return out, nil
	}}
}

// An answer is what Describe returned to one caller.
type answer struct {
	ID    string
	State types.NatGatewayState
	Nil   bool
	Err   error
}

func TestDescriberBatches(t *testing.T) {
	type want struct {
		calls   [][]string
		answers []answer
	}
	cases := map[string]struct {
		reason string
		size   int
		known  map[string]types.NatGateway
		err    error
		// first is described alone, while the others are asked for.
		first  string
		others []string
		want   want
	}{
		"Batched": {
			reason: "Gateways asked for while the only call is in flight are described together by the next call.",
			size:   DefaultBatchSize,
			known:  byID(gw("nat-1", types.NatGatewayStateAvailable, nil), gw("nat-2", types.NatGatewayStateDeleted, nil), gw("nat-3", types.NatGatewayStatePending, nil)),
			first:  "nat-1",
			others: []string{"nat-2", "nat-3", "nat-4"},
			want: want{
				calls: [][]string{{"nat-1"}, {"nat-2", "nat-3", "nat-4"}},
				answers: []answer{
					{ID: "nat-1", State: types.NatGatewayStateAvailable},
					{ID: "nat-2", State: types.NatGatewayStateDeleted},
					{ID: "nat-3", State: types.NatGatewayStatePending},
					{ID: "nat-4", Nil: true},
				},
			},
		},
		"BatchSize": {
			reason: "A batch holds at most the batch size: the gateways after it go to another call.",
			size:   2,
			known:  byID(gw("nat-1", types.NatGatewayStateAvailable, nil)),
			first:  "nat-1",
			others: []string{"nat-2", "nat-3", "nat-4"},
			want: want{
				calls: [][]string{{"nat-1"}, {"nat-2", "nat-3"}, {"nat-4"}},
				answers: []answer{
					{ID: "nat-1", State: types.NatGatewayStateAvailable},
					{ID: "nat-2", Nil: true},
					{ID: "nat-3", Nil: true},
					{ID: "nat-4", Nil: true},
				},
			},
		},
		"Failed": {
			reason: "Every caller of a failed call gets its error, to say which gateway it asked for.",
			size:   DefaultBatchSize,
			err:    errBoom,
			first:  "nat-1",
			others: []string{"nat-2"},
			want: want{
				calls:   [][]string{{"nat-1"}, {"nat-2"}},
				answers: []answer{{ID: "nat-1", Nil: true, Err: errBoom}, {ID: "nat-2", Nil: true, Err: errBoom}},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := &gate{known: tc.known, err: tc.err, release: make(chan struct{}), started: make(chan struct{}, 10)}
			api := g.api()
			// One call at a time, so the batches are what the test says.
			d := &Describer{size: tc.size, calls: 1, groups: map[Key]*group{}}

			answers := make([]answer, 1+len(tc.others))
			var wg sync.WaitGroup
			ask := func(i int, id string) {
				defer wg.Done()
				gw, err := d.Describe(t.Context(), key, api, id)
				a := answer{ID: id, Err: err, Nil: gw == nil}
				if gw != nil {
					a.State = gw.State
				}
				answers[i] = a
			}
			wg.Add(1)
			go ask(0, tc.first)
			<-g.started
			for i, id := range tc.others {
				wg.Add(1)
				go ask(i+1, id)
				waitQueued(d, i+1)
			}
			close(g.release)
			wg.Wait()
			// Batches waiting for the same call are sent in any order.
			slices.SortFunc(g.calls, func(a, b []string) int { return strings.Compare(a[0], b[0]) })

			if diff := cmp.Diff(tc.want.calls, g.calls); diff != "" {
				t.Errorf("\n%s\ncalls: -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.answers, answers, test.EquateErrors()); diff != "" {
				t.Errorf("\n%s\nanswers: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// waitQueued waits until n gateways of key wait in batches not sent yet.
func waitQueued(d *Describer, n int) {
	for {
		d.mu.Lock()
		queued := 0
		if g, ok := d.groups[key]; ok {
			for _, b := range g.queued {
				queued += len(b.ids)
			}
		}
		d.mu.Unlock()
		if queued == n {
			return
		}
		runtime.Gosched()
	}
}

func TestDescriberCancelled(t *testing.T) {
	g := &gate{known: byID(gw("nat-1", types.NatGatewayStateAvailable, nil)), release: make(chan struct{}), started: make(chan struct{}, 1)}
	d := NewDescriber()
	ctx, cancel := context.WithCancel(t.Context())
	errs := make(chan error, 1)
	go func() {
		_, err := d.Describe(ctx, key, g.api(), "nat-1")
		errs <- err
	}()
	<-g.started
	cancel()
	if err := <-errs; err == nil {
		t.Error("Describe returned no error when its context was cancelled during the call")
	}

	// The call goes on for the others of its batch: a second caller gets
	// the gateway from the next call.
	close(g.release)
	gw, err := d.Describe(t.Context(), key, g.api(), "nat-1")
	if err != nil || aws.ToString(gw.NatGatewayId) != "nat-1" {
		t.Errorf("Describe after a cancelled caller: got %v, %v, want nat-1", gw, err)
	}
	if got := fmt.Sprint(g.calls); got != "[[nat-1] [nat-1]]" {
		t.Errorf("calls: got %s, want [[nat-1] [nat-1]]", got)
	}
}
