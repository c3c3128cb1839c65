// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	corev1 "k8s.io/api/core/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// Settings of the soak.
const (
	// soakGateways NATGateways: every fifth public with an ElasticIP and a
	// Route, every tenth from the second private with a Route, the rest
	// private.
	soakGateways = 200
	// soakSpeed is ec2sim's clock: 20 simulated seconds a second, so the
	// AWS-like soakDurations pass in seconds.
	soakSpeed = 20
	// soakConsistency is the eventual-consistency window in wall-clock
	// time: the provider's retries run on the wall clock.
	soakConsistency = 5 * time.Second
	// soakErrorRate of every EC2 request fails with InternalError (500);
	// soakLatencyRate of them wait soakLatency first.
	soakErrorRate   = 0.1
	soakLatencyRate = 0.05
	soakLatency     = 2 * time.Second
	// A gateway is failed or deleted outside Crossplane, or a route
	// deleted, every soakBreakMin to soakBreakMax.
	soakBreakMin = 2 * time.Second
	soakBreakMax = 5 * time.Second
	// oneRetry is how long a Synced=False condition caused by an injected
	// error or throttling may stay: the first retry's backoff (1s) and one
	// reconcile, which with 2s latencies, the SDK's retries and the API
	// budget's waits takes a few seconds.
	oneRetry = 15 * time.Second
	// soakSample is how often the resources are read.
	soakSample = 2 * time.Second
	// soakPoll is the provider's --poll: a route deleted outside
	// Crossplane is noticed at its Route's next poll, so a breakage made
	// just before the soak ends may still be healing when the faults stop.
	soakPoll = 30 * time.Second
)

// soakDurations are AWS's: gateways pending and deleting for minutes, and
// listed for an hour once deleted.
var soakDurations = ec2sim.Durations{Pending: 2 * time.Minute, Deleting: time.Minute, Retention: time.Hour, Consistency: soakSpeed * soakConsistency}

// transient matches the messages of errors that a retry heals: injected
// errors and throttling.
var transient = regexp.MustCompile(`InternalError|internal error|RequestLimitExceeded|Request limit exceeded|StatusCode: 50[03]|Unavailable|throttl`)

func soakKind(i int) int {
	switch {
	case i%5 == 0:
		return withAddress | withRoute
	case i%10 == 1:
		return withRoute
	}
	return 0
}

// A breakage is a fault made outside Crossplane, healed once its resource
// is Ready again (a gateway with a new ID).
type breakage struct {
	at     time.Time
	what   string
	object string // kind/name
	oldID  string
	healed time.Duration
}

// soakLog is what the sampler and the breaker record.
type soakLog struct {
	mu        sync.Mutex
	breakages []*breakage
	// mostNotReady is the most resources not Ready at one time after all
	// were Ready the first time.
	mostNotReady int
	firstReady   time.Duration
	// surfaced are transient errors seen as Synced=False; stuck those
	// that stayed longer than oneRetry.
	surfaced map[string]bool
	stuck    map[string]string
	samples  []procSample
}

type procSample struct {
	at         time.Duration
	rssMiB     float64
	goroutines float64
	notReady   int
}

// TestSoak runs 200 NATGateways, with ElasticIPs and Routes, under ec2sim
// with 10% InternalError on every action, EC2's throttling buckets, 2s
// latency on 5% of the calls, a 5s eventual-consistency window, AWS-like
// durations on a fast clock, and gateways failed or deleted and routes
// deleted outside Crossplane every few seconds. It prints the healings and
// their times, the most resources not Ready at once, EC2's calls and the
// provider's memory and goroutines over time, and ends with every resource
// Ready and nothing leaked or duplicated.
func TestSoak(t *testing.T) {
	ctx := t.Context()
	e := newEnv(t, envOptions{
		ns:          "soak",
		durations:   soakDurations,
		sim:         []string{fmt.Sprintf("--speed=%d", soakSpeed), "--throttle-wall-clock", "--wall-clock-timestamps", "--seed=30"},
		provider:    []string{"--ec2-api-budget=1", "--poll=" + soakPoll.String()},
		routeTables: 1,
		quiet:       true,
	})
	faults := []ec2sim.Fault{{Action: "*", ErrorRate: soakErrorRate, Latency: soakLatency, LatencyRate: soakLatencyRate}}
	if err := e.sim.Admin.SetFaults(ctx, faults); err != nil {
		t.Fatal(err)
	}
	members := make([]member, 0, soakGateways)
	for i := range soakGateways {
		members = append(members, e.member(fmt.Sprintf("s%03d", i), i, soakKind(i)))
	}
	begin := time.Now()
	if err := e.create(ctx, members...); err != nil {
		t.Fatal(err)
	}
	mrs := 0
	for _, m := range members {
		mrs += len(m.objects())
	}
	t.Logf("soak of %s: %d managed resources (%d NATGateways); ec2sim at %gx with pending %s, deleting %s, retention %s (simulated), a %s consistency window, throttling on the wall clock, %g%% InternalError on every action, %s latency on %g%% of the calls",
		*soakFor, mrs, soakGateways, float64(soakSpeed), soakDurations.Pending, soakDurations.Deleting, soakDurations.Retention, soakConsistency, 100*soakErrorRate, soakLatency, 100*soakLatencyRate)

	log := &soakLog{surfaced: map[string]bool{}, stuck: map[string]string{}}
	soakCtx, stop := context.WithTimeout(ctx, *soakFor)
	defer stop()
	var wg sync.WaitGroup
	wg.Go(func() { e.sample(soakCtx, log, begin) })
	wg.Go(func() { e.breakThings(soakCtx, t, log) })
	wg.Wait()

	if err := e.sim.Admin.SetFaults(ctx, nil); err != nil {
		t.Fatal(err)
	}
	took, err := e.waitAllReady(ctx, 5*time.Minute)
	if err != nil {
		t.Fatalf("after the soak: %v", err)
	}
	if err := e.waitHealed(ctx, log, begin, 2*soakPoll+time.Minute); err != nil {
		t.Errorf("after the soak: %v", err)
	}
	calls, err := e.sim.Admin.Calls(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.audit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recreations := e.recreations(ctx, t)
	t.Log(log.report(*soakFor, took, calls, recreations, a))
	if !a.clean() {
		t.Errorf("after the soak, want every live object owned by exactly one managed resource: %s", a)
	}
	if len(log.stuck) > 0 {
		report := t.Logf
		if *soakStrict {
			report = t.Errorf
		}
		report("%d transient errors stayed Synced=False longer than one retry (%s):\n  %s", len(log.stuck), oneRetry, strings.Join(head(sortedValues(log.stuck), 20), "\n  "))
	}
	for _, b := range log.breakages {
		if b.healed == 0 {
			t.Errorf("%s (%s at %s) never healed", b.object, b.what, b.at.Format(time.TimeOnly))
		}
	}
	if g := log.goroutineGrowth(); g != "" {
		t.Error(g)
	}
}

// breakThings fails or deletes a gateway, or deletes a route, outside
// Crossplane every few seconds until ctx is done.
func (e *env) breakThings(ctx context.Context, t *testing.T, log *soakLog) {
	t.Helper()
	rnd := rand.New(rand.NewPCG(30, 30))
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(soakBreakMin + time.Duration(rnd.Int64N(int64(soakBreakMax-soakBreakMin)))):
		}
		b, err := e.breakOne(ctx, rnd)
		if err != nil {
			// A gateway that is Ready only until its NATGateway notices it
			// went is a conflict; anything else is worth a line.
			if ctx.Err() == nil && !errors.Is(err, ec2sim.ErrConflict) {
				t.Logf("cannot break anything: %v", err)
			}
			continue
		}
		if b != nil {
			log.mu.Lock()
			log.breakages = append(log.breakages, b)
			log.mu.Unlock()
		}
	}
}

// breakOne breaks one Ready resource: a third of the time a route, else a
// gateway, failed or deleted as from the console.
func (e *env) breakOne(ctx context.Context, rnd *rand.Rand) (*breakage, error) {
	all, err := e.managed(ctx)
	if err != nil {
		return nil, err
	}
	wantRoute := rnd.IntN(3) == 0
	var pick []resource.Managed
	for _, mr := range all {
		_, isRoute := mr.(*v1alpha1.Route)
		_, isGateway := mr.(*v1alpha1.NATGateway)
		if mr.GetCondition(xpv2.TypeReady).Status == corev1.ConditionTrue && (wantRoute && isRoute || !wantRoute && isGateway) {
			pick = append(pick, mr)
		}
	}
	if len(pick) == 0 {
		return nil, nil
	}
	mr := pick[rnd.IntN(len(pick))]
	b := &breakage{at: time.Now(), object: stack.Kind(mr) + "/" + mr.GetName(), oldID: meta.GetExternalName(mr)}
	switch r := mr.(type) {
	case *v1alpha1.Route:
		b.what = "route deleted"
		_, err = e.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(r.Spec.ForProvider.RouteTableID), DestinationCidrBlock: r.Spec.ForProvider.DestinationCidrBlock})
		b.oldID = "" // the route keeps its external name
	default:
		if rnd.IntN(2) == 0 {
			b.what = "gateway failed"
			err = e.sim.Admin.FailNatGateway(ctx, b.oldID, "", "")
		} else {
			b.what = "gateway deleted"
			err = e.sim.Admin.DeleteNatGateway(ctx, b.oldID, false)
		}
	}
	if err != nil {
		return nil, err
	}
	return b, nil
}

// sample reads the resources every soakSample until ctx is done: it heals
// breakages, counts resources not Ready, follows transient Synced=False
// conditions, and reads the provider's memory and goroutines.
func (e *env) sample(ctx context.Context, log *soakLog, begin time.Time) {
	procEvery := max(*soakFor/20, 10*time.Second)
	var lastProc time.Time
	for {
		notReady := e.sampleOnce(ctx, log, begin)
		if time.Since(lastProc) >= procEvery {
			lastProc = time.Now()
			s := procSample{at: time.Since(begin), notReady: notReady}
			url := e.provider().MetricsURL
			s.rssMiB, _ = metric(ctx, url, "process_resident_memory_bytes")
			s.rssMiB /= 1 << 20
			s.goroutines, _ = metric(ctx, url, "go_goroutines")
			log.mu.Lock()
			log.samples = append(log.samples, s)
			log.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(soakSample):
		}
	}
}

// sampleOnce reads the resources and EC2 once and returns how many
// resources are not Ready, or -1 when it cannot read them.
func (e *env) sampleOnce(ctx context.Context, log *soakLog, begin time.Time) int {
	all, err := e.managed(ctx)
	if err != nil {
		return -1
	}
	st, err := e.state(ctx)
	if err != nil {
		return -1
	}
	routes := map[string]string{}
	for _, t := range st.RouteTables {
		for _, r := range t.Routes {
			routes[t.ID+"_"+r.DestinationCidrBlock] = r.State
		}
	}
	e.observe(all, routes, log, begin)
	return countNotReady(all)
}

// waitHealed reads the resources until every breakage healed or timeout
// passes: a Route stays Ready until its next poll finds its route gone.
func (e *env) waitHealed(ctx context.Context, log *soakLog, begin time.Time, timeout time.Duration) error {
	return poll(ctx, timeout, func(ctx context.Context) error {
		e.sampleOnce(ctx, log, begin)
		log.mu.Lock()
		defer log.mu.Unlock()
		n := 0
		for _, b := range log.breakages {
			if b.healed == 0 {
				n++
			}
		}
		if n > 0 {
			return errors.Errorf("%d breakages not healed yet", n)
		}
		return nil
	})
}

func ready(mr resource.Managed) bool {
	return mr.GetCondition(xpv2.TypeReady).Status == corev1.ConditionTrue && mr.GetCondition(xpv2.TypeSynced).Status == corev1.ConditionTrue
}

func countNotReady(all []resource.Managed) int {
	n := 0
	for _, mr := range all {
		if !ready(mr) {
			n++
		}
	}
	return n
}

// observe records what one reading of the resources and of EC2's routes
// (by table and destination, with their states) shows.
func (e *env) observe(all []resource.Managed, routes map[string]string, log *soakLog, begin time.Time) {
	log.mu.Lock()
	defer log.mu.Unlock()
	now := time.Now()
	notReady := countNotReady(all)
	if notReady == 0 && log.firstReady == 0 {
		log.firstReady = now.Sub(begin)
	}
	if log.firstReady > 0 {
		log.mostNotReady = max(log.mostNotReady, notReady)
	}
	byName := map[string]resource.Managed{}
	for _, mr := range all {
		byName[stack.Kind(mr)+"/"+mr.GetName()] = mr
		s := mr.GetCondition(xpv2.TypeSynced)
		if s.Status != corev1.ConditionFalse || !transient.MatchString(s.Message) {
			continue
		}
		key := fmt.Sprintf("%s %s/%s since %s", stack.Kind(mr), mr.GetNamespace(), mr.GetName(), s.LastTransitionTime.Format(time.TimeOnly))
		log.surfaced[key] = true
		if d := now.Sub(s.LastTransitionTime.Time); d > oneRetry {
			log.stuck[key] = fmt.Sprintf("%s for %s: %s", key, d.Round(time.Second), s.Message)
		}
	}
	for _, b := range log.breakages {
		if b.healed > 0 {
			continue
		}
		mr, ok := byName[b.object]
		if !ok || !ready(mr) {
			continue
		}
		_, isRoute := mr.(*v1alpha1.Route)
		back := meta.GetExternalName(mr) != b.oldID
		if isRoute {
			back = routes[meta.GetExternalName(mr)] == v1alpha1.RouteStateActive
		}
		if back {
			b.healed = now.Sub(b.at)
		}
	}
}

// recreations sums the provider's own count of recreated gateways and
// addresses.
func (e *env) recreations(ctx context.Context, t *testing.T) int64 {
	t.Helper()
	gws := &v1alpha1.NATGatewayList{}
	if err := shared.client.List(ctx, gws); err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, g := range gws.Items {
		if g.Namespace == e.ns && g.Status.AtProvider.Healing != nil {
			n += g.Status.AtProvider.Healing.Recreations
		}
	}
	return n
}

func (l *soakLog) report(d, converged time.Duration, calls map[string]ec2sim.CallStats, recreations int64, a audit) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var heals []time.Duration
	byWhat := map[string]int{}
	for _, b := range l.breakages {
		byWhat[b.what]++
		if b.healed > 0 {
			heals = append(heals, b.healed)
		}
	}
	slices.Sort(heals)
	var b strings.Builder
	fmt.Fprintf(&b, "soak report (%s):\n", d)
	fmt.Fprintf(&b, "  every resource Ready first after %s; the most not Ready at once after that: %d\n", l.firstReady.Round(time.Second), l.mostNotReady)
	fmt.Fprintf(&b, "  broken outside Crossplane: %d %s; healed: %d (heal time p50 %s, p99 %s, max %s); gateways recreated by the provider: %d\n",
		len(l.breakages), byAction(byWhat), len(heals), percentile(heals, 50), percentile(heals, 99), percentile(heals, 100), recreations)
	fmt.Fprintf(&b, "  transient errors seen as Synced=False: %d; longer than one retry (%s): %d\n", len(l.surfaced), oneRetry, len(l.stuck))
	fmt.Fprintf(&b, "  after the faults stopped, every resource Ready within %s; %s\n", converged.Round(100*time.Millisecond), a)
	var total, throttled, injected int64
	for _, c := range calls {
		total += c.Calls
		throttled += c.Throttled
		injected += c.Injected
	}
	fmt.Fprintf(&b, "  EC2 calls: %d (%d throttled, %d injected errors): %s\n", total, throttled, injected, formatCalls(calls))
	b.WriteString("  provider over time:   elapsed   RSS MiB   goroutines   not Ready\n")
	for _, s := range l.samples {
		fmt.Fprintf(&b, "                       %7s   %7.1f   %10.0f   %9d\n", s.at.Round(time.Second), s.rssMiB, s.goroutines, s.notReady)
	}
	return b.String()
}

// goroutineGrowth reports goroutines that grew through the soak: the last
// sample against the first taken once every resource was Ready, with room
// for the work of the moment.
func (l *soakLog) goroutineGrowth() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var steady []procSample
	for _, s := range l.samples {
		if s.at >= l.firstReady && s.goroutines > 0 {
			steady = append(steady, s)
		}
	}
	if len(steady) < 2 || l.firstReady == 0 {
		return ""
	}
	first, last := steady[0].goroutines, steady[len(steady)-1].goroutines
	if last > 1.5*first+50 {
		return fmt.Sprintf("the provider's goroutines grew from %.0f to %.0f through the soak", first, last)
	}
	return ""
}

// percentile returns the p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p int) string {
	if len(sorted) == 0 {
		return "-"
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(min(i, len(sorted))-1, 0)].Round(100 * time.Millisecond).String()
}

func sortedValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}
