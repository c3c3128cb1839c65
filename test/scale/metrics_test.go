// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package scale

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/rest"

	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// A monitor reads the provider process's memory and CPU from /proc.
type monitor struct {
	pid int
}

func startMonitor(t *testing.T, pid int) *monitor {
	t.Helper()
	m := &monitor{pid: pid}
	if _, err := m.status("VmRSS"); err != nil {
		t.Fatalf("cannot read the provider's memory: %v", err)
	}
	return m
}

// status returns field (in kB) of /proc/pid/status as bytes.
func (m *monitor) status(field string) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", m.pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != field {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		return kb << 10, err
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, m.pid)
}

// peak returns the provider's peak RSS so far.
func (m *monitor) peak() int64 {
	b, _ := m.status("VmHWM")
	return b
}

// clockTicks is USER_HZ, the unit of /proc/pid/stat's CPU times, on Linux.
const clockTicks = 100

// cpu returns the CPU time the provider used so far.
func (m *monitor) cpu() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", m.pid))
	if err != nil {
		return 0, err
	}
	// The command may hold spaces; the fields after its closing
	// parenthesis are fixed: utime and stime are the 12th and 13th.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("cannot parse /proc/%d/stat", m.pid)
	}
	var ticks int64
	for _, f := range fields[11:13] {
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, err
		}
		ticks += v
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// A sample is the counters the steady state is measured by, at one time.
type sample struct {
	at         time.Time
	calls      map[string]int64
	reconciles float64
	writes     map[string]float64
	cpu        time.Duration
	rss        int64
	// rssFile is the part of rss that maps files, mostly the binary's
	// pages, which the kernel can drop and read again.
	rssFile    int64
	goroutines float64
	heap       float64
}

// takeSample reads ec2sim's call counts, the provider's and the API
// server's metrics, and /proc.
func takeSample(ctx context.Context, s *stack.Stack, m *monitor) (sample, error) {
	sm := sample{at: time.Now(), calls: map[string]int64{}, writes: map[string]float64{}}
	calls, err := s.EC2Sim.Admin.Calls(ctx)
	if err != nil {
		return sample{}, err
	}
	for a, c := range calls {
		sm.calls[a] = c.Calls
	}
	prov, err := scrape(ctx, http.DefaultClient, s.Provider.MetricsURL+"/metrics")
	if err != nil {
		return sample{}, err
	}
	for _, x := range prov {
		switch x.name {
		case "controller_runtime_reconcile_total":
			sm.reconciles += x.value
		case "go_goroutines":
			sm.goroutines = x.value
		case "go_memstats_heap_inuse_bytes":
			sm.heap = x.value
		}
	}
	hc, err := rest.HTTPClientFor(s.ControlPlane.Config)
	if err != nil {
		return sample{}, err
	}
	api, err := scrape(ctx, hc, s.ControlPlane.Config.Host+"/metrics")
	if err != nil {
		return sample{}, err
	}
	for _, x := range api {
		if x.name != "apiserver_request_total" || !writeVerbs[x.labels["verb"]] {
			continue
		}
		r := x.labels["resource"]
		if sr := x.labels["subresource"]; sr != "" {
			r += "/" + sr
		}
		sm.writes[x.labels["verb"]+" "+r] += x.value
	}
	if sm.cpu, err = m.cpu(); err != nil {
		return sample{}, err
	}
	if sm.rss, err = m.status("VmRSS"); err != nil {
		return sample{}, err
	}
	if sm.rssFile, err = m.status("RssFile"); err != nil {
		return sample{}, err
	}
	return sm, nil
}

// writeVerbs are the API server's verbs that write.
var writeVerbs = map[string]bool{"POST": true, "PUT": true, "PATCH": true, "DELETE": true}

// A steady is what the steady state cost, per minute or second.
type steady struct {
	span          time.Duration
	callsPerMin   map[string]float64
	reconcilesSec float64
	writesPerMin  map[string]float64
	cpu           float64 // cores
	rss, rssFile  int64
	goroutines    float64
	heap          int64
}

// since returns what happened between b and s.
func (s sample) since(b sample) steady {
	span := s.at.Sub(b.at)
	mins := span.Minutes()
	st := steady{span: span, callsPerMin: map[string]float64{}, writesPerMin: map[string]float64{}, rss: s.rss, rssFile: s.rssFile, goroutines: s.goroutines, heap: int64(s.heap)}
	for a, c := range s.calls {
		if d := c - b.calls[a]; d > 0 {
			st.callsPerMin[a] = float64(d) / mins
		}
	}
	for k, v := range s.writes {
		if d := v - b.writes[k]; d > 0 {
			st.writesPerMin[k] = d / mins
		}
	}
	st.reconcilesSec = (s.reconciles - b.reconciles) / span.Seconds()
	st.cpu = (s.cpu - b.cpu).Seconds() / span.Seconds()
	return st
}

// A metric is one sample of a Prometheus text exposition.
type metric struct {
	name   string
	labels map[string]string
	value  float64
}

var labelRE = regexp.MustCompile(`(\w+)="((?:[^"\\]|\\.)*)"`)

// scrape reads the samples of a Prometheus endpoint in its text format.
func scrape(ctx context.Context, hc *http.Client, url string) ([]metric, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("GET %s: %s: %s", url, resp.Status, b)
	}
	var ms []metric
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		m := metric{labels: map[string]string{}}
		var rest string
		if i := strings.IndexByte(line, '{'); i >= 0 {
			j := strings.LastIndexByte(line, '}')
			m.name = line[:i]
			for _, l := range labelRE.FindAllStringSubmatch(line[i+1:j], -1) {
				m.labels[l[1]] = l[2]
			}
			rest = line[j+1:]
		} else {
			m.name, rest, _ = strings.Cut(line, " ")
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			continue
		}
		v, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			continue
		}
		m.value = v
		ms = append(ms, m)
	}
	return ms, sc.Err()
}

// saveHeapProfile writes the provider's heap profile, served by its pprof
// endpoint at addr, to path.
func saveHeapProfile(ctx context.Context, addr, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/debug/pprof/heap", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", req.URL, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
