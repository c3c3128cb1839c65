// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ktypes "k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/clock"
	testingclock "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/natinventory"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// The benchmarks in this file observe fleets of 1000 and 3000 NATGateways
// whose gateways live in the EC2 simulator, reached through the unmodified
// aws-sdk-go-v2 client. The simulator does not throttle: the benchmarks
// count the calls it serves instead.

// fleetSizes are the numbers of NATGateways benchmarked.
var fleetSizes = []int{1000, 3000}

// budgetPerMinute is how many non-mutating calls a minute the provider's
// default EC2 API budget allows an account in a region: half of EC2's 20 a
// second.
const budgetPerMinute = 10 * 60

// A fleet is n NATGateways, each with a gateway in the simulator tagged as
// Create tags it.
type fleet struct {
	sim *ec2sim.Server
	api *ec2.Client
	crs []*v1alpha1.NATGateway
}

func newFleet(b *testing.B, n int) *fleet {
	b.Helper()
	ctx := context.Background()
	// Gateways are available at once, and a deleted one stays deleting for
	// the whole benchmark.
	sim, err := ec2sim.New(ec2sim.Options{DisableThrottling: true, Durations: ec2sim.Durations{Pending: -1, Deleting: time.Hour, Retention: 24 * time.Hour}})
	if err != nil {
		b.Fatal(err)
	}
	srv := sim.NewHTTPTestServer()
	b.Cleanup(srv.Close)
	api := ec2.New(ec2.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAEC2SIMULATOR", "secret", ""),
		// Large bodies hit aws-sdk-go-v2's "use of closed network
		// connection" race on reading responses (aws/aws-sdk-go-v2#2737);
		// retries absorb it, as they do against AWS.
		RetryMaxAttempts: 3,
	})
	vpc, err := api.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		b.Fatal(err)
	}
	sn, err := api.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/18"), AvailabilityZone: aws.String("us-east-1a")})
	if err != nil {
		b.Fatal(err)
	}

	f := &fleet{sim: sim, api: api, crs: make([]*v1alpha1.NATGateway, n)}
	const workers = 4
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				cr := natGateway(private(), func(cr *v1alpha1.NATGateway) {
					cr.SetGroupVersionKind(v1alpha1.NATGatewayGroupVersionKind)
					cr.SetName(fmt.Sprintf("egress-%04d", i))
					cr.SetUID(ktypes.UID(fmt.Sprintf("uid-%04d", i)))
					cr.Spec.ForProvider.SubnetID = sn.Subnet.SubnetId
				})
				out, err := api.CreateNatGateway(ctx, generateCreateInput(cr, clientToken(cr.GetUID(), ""), desiredTags(cr)))
				if err != nil {
					errs <- err
					return
				}
				meta.SetExternalName(cr, aws.ToString(out.NatGateway.NatGatewayId))
				f.crs[i] = cr
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatalf("CreateNatGateway: %v", err)
	}
	if err := sim.ResetCalls(ctx); err != nil {
		b.Fatal(err)
	}
	return f
}

// describes returns how many DescribeNatGateways calls the simulator served.
func (f *fleet) describes(b *testing.B) int64 {
	b.Helper()
	calls, err := f.sim.Calls(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return calls["DescribeNatGateways"].Calls
}

// external returns an external client of the fleet, served by inv when it
// is not nil.
func (f *fleet) external(inv inventory) *external {
	e, _ := newExternal(f.api, time.Now())
	if inv != nil {
		e.inventory = inv
	}
	return e
}

// observeAll observes every NATGateway once, as one poll interval does.
func (f *fleet) observeAll(b *testing.B, e *external) {
	b.Helper()
	for _, cr := range f.crs {
		obs, err := e.Observe(context.Background(), cr)
		if err != nil {
			b.Fatalf("Observe(%s): %v", cr.GetName(), err)
		}
		if !obs.ResourceExists {
			b.Fatalf("Observe(%s): the gateway must exist", cr.GetName())
		}
	}
}

// startInventory starts an inventory of interval on clk, lists the fleet's
// key once, and returns it with the function that stops it.
func (f *fleet) startInventory(b *testing.B, interval time.Duration, clk clock.WithTicker) (*natinventory.Inventory, func()) {
	b.Helper()
	inv, err := natinventory.New(interval, natinventory.WithClock(clk), natinventory.WithIdle(time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- inv.Start(ctx) }()
	first := meta.GetExternalName(f.crs[0])
	until(b, "the first listing", func() bool {
		_, ok := inv.Get(clusterKey, f.api, first)
		return ok
	})
	return inv, func() {
		cancel()
		if err := <-stopped; err != nil {
			b.Errorf("Start(...): %v", err)
		}
	}
}

// pages is how many calls list n gateways.
func pages(n int) int64 {
	return int64((n + natinventory.PageSize - 1) / natinventory.PageSize)
}

// BenchmarkObserveCalls reports the EC2 calls a minute it takes to observe
// every NATGateway once a minute (the default poll interval): with one
// DescribeNatGateways call per gateway, and with the inventory, which lists
// the fleet every 10s (six listings a minute) and serves every observation.
// budget-% is the share of the provider's default EC2 API budget (10 calls a
// second) those calls take.
func BenchmarkObserveCalls(b *testing.B) {
	for _, n := range fleetSizes {
		b.Run(fmt.Sprintf("N=%d/describe", n), func(b *testing.B) {
			f := newFleet(b, n)
			e := f.external(nil)
			var perMinute int64
			for b.Loop() {
				before := f.describes(b)
				f.observeAll(b, e)
				perMinute = f.describes(b) - before
			}
			b.ReportMetric(float64(perMinute), "calls/min")
			b.ReportMetric(100*float64(perMinute)/budgetPerMinute, "budget-%")
		})
		b.Run(fmt.Sprintf("N=%d/inventory", n), func(b *testing.B) {
			f := newFleet(b, n)
			clk := testingclock.NewFakeClock(time.Now())
			inv, stop := f.startInventory(b, DefaultInventoryInterval, clk)
			defer stop()
			e := f.external(inv)
			var perMinute int64
			for b.Loop() {
				before := f.describes(b)
				for range int(time.Minute / DefaultInventoryInterval) {
					want := f.describes(b) + pages(n)
					clk.Step(DefaultInventoryInterval)
					until(b, "a listing", func() bool { return f.describes(b) >= want })
				}
				f.observeAll(b, e)
				perMinute = f.describes(b) - before
			}
			b.ReportMetric(float64(perMinute), "calls/min")
			b.ReportMetric(100*float64(perMinute)/budgetPerMinute, "budget-%")
		})
	}
}

// BenchmarkDetectDeletion reports the time from the deletion of a gateway
// outside Crossplane to the enqueue of its NATGateway, on the wall clock,
// with the inventory listing every second. Each iteration deletes samples
// gateways, each at a random point of the listing cycle: a deletion is
// noticed by the next listing, on average half an interval later, plus the
// listing's own time. The figures scale with the interval: at the default
// 10s, about 5s on average and at most 10s, plus a listing.
func BenchmarkDetectDeletion(b *testing.B) {
	const (
		interval = time.Second
		samples  = 6
	)
	for _, n := range fleetSizes {
		b.Run(fmt.Sprintf("N=%d/interval=%s", n, interval), func(b *testing.B) {
			f := newFleet(b, n)
			inv, stop := f.startInventory(b, interval, clock.RealClock{})
			defer stop()
			q := workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[reconcile.Request]())
			defer q.ShutDown()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if err := inventorySource(inv, newUrgency()).Start(ctx, q); err != nil {
				b.Fatal(err)
			}

			var total, longest time.Duration
			deleted := 0
			for b.Loop() {
				for range samples {
					if deleted == n {
						b.Fatalf("every gateway of the fleet was deleted")
					}
					cr := f.crs[deleted]
					deleted++
					time.Sleep(rand.N(interval))
					start := time.Now()
					if err := f.sim.DeleteNatGateway(ctx, meta.GetExternalName(cr), false); err != nil {
						b.Fatal(err)
					}
					waitEnqueued(b, q, cr.GetName())
					d := time.Since(start)
					total += d
					longest = max(longest, d)
				}
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(deleted), "detect-ms")
			b.ReportMetric(float64(longest.Milliseconds()), "max-detect-ms")
		})
	}
}

// waitEnqueued takes requests from q until one for the NATGateway name.
func waitEnqueued(b *testing.B, q workqueue.TypedRateLimitingInterface[reconcile.Request], name string) {
	b.Helper()
	for {
		r, shutdown := q.Get()
		if shutdown {
			b.Fatal("the queue shut down")
		}
		q.Done(r)
		if r.Name == name {
			return
		}
	}
}

// BenchmarkSnapshot lists the fleet into a new snapshot per iteration, and
// reports the heap a snapshot holds per 1000 gateways and the calls a
// listing takes.
func BenchmarkSnapshot(b *testing.B) {
	for _, n := range fleetSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			f := newFleet(b, n)
			for b.Loop() {
				_, stop := f.startInventory(b, DefaultInventoryInterval, testingclock.NewFakeClock(time.Now()))
				stop()
			}
			b.StopTimer()
			before := f.describes(b)
			start := heap()
			inv, stop := f.startInventory(b, DefaultInventoryInterval, testingclock.NewFakeClock(time.Now()))
			held := int64(heap()) - int64(start)
			runtime.KeepAlive(inv)
			stop()
			b.ReportMetric(float64(held)/(float64(n)/1000), "B/1000gw")
			b.ReportMetric(float64(f.describes(b)-before), "calls/listing")
		})
	}
}

// heap returns the live heap after a garbage collection.
func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// until polls cond until it holds, failing the benchmark if it never does.
func until(b *testing.B, what string, cond func() bool) {
	b.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			b.Fatalf("waiting for %s: gave up after 1m", what)
		}
		time.Sleep(100 * time.Microsecond)
	}
}
