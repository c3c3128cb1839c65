// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package scale

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// namespace holds a run's NATGateways; each run has a control plane of its
// own.
const namespace = "bench"

// workers is how many requests the benchmark sends at once to seed EC2 and
// to apply NATGateways.
const workers = 16

// A config is what one run measures.
type config struct {
	n       int
	mode    string
	create  int
	deletes int
	steady  time.Duration
}

// A run is one provider mode at one number of NATGateways.
type run struct {
	t      *testing.T
	c      config
	stk    *stack.Stack
	cl     client.Client
	ec2    *ec2.Client
	subnet string
	// account holds the run's gateways in ec2sim.
	account string
	// tagged is closed once every imported gateway carries its ownership
	// tag, with res.taggedImport set.
	tagged chan struct{}
	tl     *timeline
	res    result
}

// runBench starts a stack for c, measures, and stops the stack.
func runBench(t *testing.T, bin stack.Binaries, c config) result {
	t.Helper()
	ctx := t.Context()
	args := modeArgs[c.mode]
	pprof := ""
	if *flagHeap != "" {
		port, err := local.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		pprof = fmt.Sprintf("127.0.0.1:%d", port)
		args = append(slices.Clone(args), "--pprof-bind-address="+pprof)
	}
	s, err := stack.Start(ctx, stack.Options{
		Progress: local.TestLog(t), Binaries: bin, Durations: durations, Metrics: true,
		ProviderArgs: args,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(s.Logs(40))
		}
		if err := s.Stop(); err != nil {
			t.Errorf("cannot stop the stack: %v", err)
		}
	})
	r := &run{t: t, c: c, stk: s, res: result{config: c}}
	r.cl = fastClient(t, s)
	creds, err := s.PrepareNamespace(ctx, namespace)
	if err != nil {
		t.Fatal(err)
	}
	r.ec2 = s.EC2Client(creds)
	r.account = creds.AccessKeyID
	net, err := stack.SeedNetwork(ctx, r.ec2, namespace, 1)
	if err != nil {
		t.Fatal(err)
	}
	r.subnet = net.Zones[0].PrivateSubnetID
	r.tl = watchTimeline(t, s.ControlPlane.Config, s.Scheme)

	mon := startMonitor(t, s.Provider.Process().Pid())
	r.imports()
	r.creates()
	r.waitTagged()
	r.heals()
	r.steadyState(mon)
	if pprof != "" {
		path := filepath.Join(*flagHeap, fmt.Sprintf("heap-N%d-%s.pb.gz", c.n, c.mode))
		if err := saveHeapProfile(ctx, pprof, path); err != nil {
			t.Errorf("cannot save the provider's heap profile: %v", err)
		}
	}
	return r.res
}

// fastClient is a client of the control plane without client-side rate
// limits, so applying thousands of objects measures the provider, not the
// benchmark.
func fastClient(t *testing.T, s *stack.Stack) client.Client {
	t.Helper()
	cfg := rest.CopyConfig(s.ControlPlane.Config)
	cfg.QPS, cfg.Burst = -1, 0
	cl, err := client.New(cfg, client.Options{Scheme: s.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// imports seeds EC2 with the gateways to import, with CreateNatGateway's
// bucket lifted meanwhile, applies a NATGateway naming each by external
// name, and waits until all are Ready.
func (r *run) imports() {
	ctx := r.t.Context()
	n := r.c.n - r.c.create
	admin := r.stk.EC2Sim.Admin
	if err := admin.SetThrottle(ctx, ec2sim.ThrottleConfig{Enabled: true, Buckets: map[string]ec2sim.Bucket{"CreateNatGateway": {Max: 1e9, Refill: 1e9}}}); err != nil {
		r.t.Fatal(err)
	}
	ids := make([]string, n)
	parallel(r.t, n, func(i int) error {
		out, err := r.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(r.subnet), ConnectivityType: types.ConnectivityTypePrivate})
		if err != nil {
			return err
		}
		ids[i] = aws.ToString(out.NatGateway.NatGatewayId)
		return nil
	})
	// The provider meets EC2's buckets from here on, full.
	if err := admin.SetThrottle(ctx, ec2sim.ThrottleConfig{Enabled: true}); err != nil {
		r.t.Fatal(err)
	}
	time.Sleep(durations.Pending + time.Second)

	begin := time.Now()
	parallel(r.t, n, func(i int) error {
		gw := r.gateway(fmt.Sprintf("import-%05d", i))
		meta.SetExternalName(gw, ids[i])
		return r.cl.Create(ctx, gw)
	})
	r.tagged = make(chan struct{})
	go r.watchTagged(ids, begin)
	r.res.applyImport = time.Since(begin)
	r.res.readyImport = r.waitReady("import-", n, begin)
	r.t.Logf("%d imported NATGateways applied in %s, Ready after %s", n, r.res.applyImport.Round(time.Millisecond), r.res.readyImport.Round(time.Millisecond))
}

// creates applies NATGateways without an external name, so the provider
// creates their gateways, and measures the creation rate.
func (r *run) creates() {
	ctx := r.t.Context()
	n := r.c.create
	if n == 0 {
		return
	}
	begin := time.Now()
	parallel(r.t, n, func(i int) error { return r.cl.Create(ctx, r.gateway(fmt.Sprintf("create-%05d", i))) })
	r.res.readyCreate = r.waitReady("create-", n, begin)
	// The budget allows a burst, then its refill: the rate is measured
	// from the first creation past the burst.
	set := r.tl.externalNamesSet("create-")
	if len(set) > createBurst+1 {
		r.res.createRate = float64(len(set)-1-createBurst) / set[len(set)-1].Sub(set[createBurst]).Seconds()
	}
	r.t.Logf("%d created NATGateways Ready after %s; %.2f creations a second", n, r.res.readyCreate.Round(time.Millisecond), r.res.createRate)
}

// gateway returns a private NATGateway of the run's subnet.
func (r *run) gateway(name string) *v1alpha1.NATGateway {
	return &v1alpha1.NATGateway{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: v1alpha1.NATGatewaySpec{
			ManagedResourceSpec: xpv2.ManagedResourceSpec{ProviderConfigReference: stack.ProviderConfigRef()},
			ForProvider: v1alpha1.NATGatewayParameters{
				Region: stack.DefaultRegion, SubnetID: aws.String(r.subnet), ConnectivityType: aws.String(string(types.ConnectivityTypePrivate)),
			},
		},
	}
}

// readyTimeout bounds every wait of a run for Ready NATGateways.
const readyTimeout = 20 * time.Minute

// waitReady waits until n NATGateways whose names start with prefix are
// Ready and Synced, and returns how long after begin the last one was.
func (r *run) waitReady(prefix string, n int, begin time.Time) time.Duration {
	deadline := time.Now().Add(readyTimeout)
	for {
		last, ready := r.tl.readySince(prefix, begin)
		if ready == n {
			return last.Sub(begin)
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%d of %d NATGateways %s* Ready after %s", ready, n, prefix, readyTimeout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// watchTagged reads ec2sim's state every second until every gateway of ids
// carries its ownership tag, which the provider writes in the background at
// the pace of the CreateTags budget once the NATGateways are Ready, then
// records how long after begin that was and closes r.tagged.
func (r *run) watchTagged(ids []string, begin time.Time) {
	ctx := r.t.Context()
	for ctx.Err() == nil {
		st, err := r.stk.EC2Sim.Admin.State(ctx, r.account, stack.DefaultRegion)
		if err == nil && allTagged(st, ids) {
			r.res.taggedImport = time.Since(begin)
			close(r.tagged)
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// allTagged reports whether st shows every gateway of ids with its
// ownership tag.
func allTagged(st ec2sim.State, ids []string) bool {
	tagged := map[string]bool{}
	for _, rs := range st.Regions {
		for _, gw := range rs.NatGateways {
			_, ok := gw.Tags[ec2client.TagUID]
			tagged[gw.ID] = ok
		}
	}
	for _, id := range ids {
		if !tagged[id] {
			return false
		}
	}
	return true
}

// waitTagged waits until every imported gateway is tagged. Until then an
// imported gateway is not in the inventory's listing, which lists only
// gateways with ownership tags, so gateways are deleted out of band only
// after it.
func (r *run) waitTagged() {
	select {
	case <-r.tagged:
		r.t.Logf("%d imported gateways tagged %s after their NATGateways were applied", r.c.n-r.c.create, r.res.taggedImport.Round(time.Second))
	case <-time.After(readyTimeout):
		r.t.Fatalf("imported gateways still without ownership tags after %s", readyTimeout)
	}
}

// heals deletes gateways out of band, spread in time, and measures how soon
// each is noticed and replaced.
func (r *run) heals() {
	ctx := r.t.Context()
	n := r.c.n - r.c.create
	k := min(r.c.deletes, n)
	step := n / k
	victims := make([]string, 0, k)
	for i := range k {
		victims = append(victims, fmt.Sprintf("import-%05d", i*step))
	}
	for i, name := range victims {
		if i > 0 {
			time.Sleep(deleteSpacing)
		}
		id := r.tl.externalName(name)
		r.tl.deleted(name, id, time.Now())
		if err := r.stk.EC2Sim.Admin.DeleteNatGateway(ctx, id, false); err != nil {
			r.t.Fatal(err)
		}
	}
	deadline := time.Now().Add(healTimeout)
	for !r.tl.allReplaced() && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	r.res.detect, r.res.newID = r.tl.heals()
	if len(r.res.newID) < k {
		r.t.Errorf("%d of %d gateways deleted out of band were replaced within %s", len(r.res.newID), k, healTimeout)
	}
	r.res.deleted = k
	r.t.Logf("deleted %d gateways out of band: detection %s, new ID %s", k, summary(r.res.detect), summary(r.res.newID))
}

// healTimeout is how long the benchmark waits for the last replacement.
const healTimeout = 3 * time.Minute

// steadyState waits until every NATGateway is Ready again, then measures
// what the provider costs over the steady period.
func (r *run) steadyState(mon *monitor) {
	ctx := r.t.Context()
	r.waitReady("", r.c.n, time.Time{})
	before := r.sample(ctx, mon)
	time.Sleep(r.c.steady)
	after := r.sample(ctx, mon)
	r.res.steady = after.since(before)
	r.res.throttled = r.tl.throttledConditions()
	r.res.misleading = r.tl.misleadingReady()
	r.res.peakRSS = mon.peak()
}

// sample reads every counter the steady state is measured by.
func (r *run) sample(ctx context.Context, mon *monitor) sample {
	s, err := takeSample(ctx, r.stk, mon)
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

// parallel calls f for 0..n-1 on workers goroutines and fails the test on
// the first error.
func parallel(t *testing.T, n int, f func(i int) error) {
	t.Helper()
	var (
		wg   sync.WaitGroup
		once sync.Once
		ferr error
	)
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				if err := f(i); err != nil {
					once.Do(func() { ferr = err })
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if ferr != nil {
		t.Fatal(ferr)
	}
}
