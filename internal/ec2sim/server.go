// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// APIVersion is the only EC2 API version the simulator speaks.
const APIVersion = "2016-11-15"

// A Server simulates EC2. It is an http.Handler: EC2 actions are served on
// "/" and the admin API under AdminPrefix. It is safe for concurrent use.
type Server struct {
	opts     Options
	clock    *clock
	throttle *throttler
	faults   *injector
	calls    *callCounter
	pager    *pager
	iam      *iam
	admin    http.Handler

	mu        sync.Mutex
	regions   map[regionKey]*regionState
	durations Durations
}

// New returns a Server configured by o. It returns an error if o holds an
// invalid fault.
func New(o Options) (*Server, error) {
	if o.WallClock == nil {
		o.WallClock = time.Now
	}
	if o.ClockSpeed <= 0 {
		o.ClockSpeed = 1
	}
	if o.DefaultAccessKey == "" {
		o.DefaultAccessKey = DefaultAccessKey
	}
	if o.DefaultRegion == "" {
		o.DefaultRegion = DefaultRegion
	}
	s := &Server{
		opts:      o,
		clock:     newClock(o.WallClock, o.ClockSpeed),
		throttle:  newThrottler(ThrottleConfig{Enabled: !o.DisableThrottling, Buckets: o.Buckets}),
		faults:    newInjector(o.Seed),
		calls:     newCallCounter(),
		pager:     newPager(),
		regions:   map[regionKey]*regionState{},
		durations: o.Durations.withDefaults(),
	}
	if err := s.faults.set(o.Faults); err != nil {
		return nil, err
	}
	var err error
	if s.iam, err = newIAM(o.Roles); err != nil {
		return nil, err
	}
	s.admin = s.adminHandler()
	return s, nil
}

// Handler returns the server as an http.Handler.
func (s *Server) Handler() http.Handler { return s }

// NewHTTPTestServer starts an httptest.Server for the simulator on a free
// loopback port. Its URL is the EC2 endpoint (and admin base URL).
func (s *Server) NewHTTPTestServer() *httptest.Server {
	return httptest.NewServer(s)
}

// A call is one EC2 request being handled under the server's lock.
type call struct {
	s      *Server
	action string
	p      *params
	q      view
	r      *regionState
	now    time.Time
	d      Durations
}

// ready checks DryRun and unknown parameters once a handler has read and
// validated its inputs. It returns DryRunOperation for a dry run that would
// have succeeded.
func (c *call) ready() *APIError {
	dry, err := c.q.boolean("DryRun")
	if err != nil {
		return err
	}
	if err := c.p.unknown(); err != nil {
		return err
	}
	if dry {
		return errDryRun()
	}
	return nil
}

// pageScope names the account, region and action a NextToken belongs to.
func (c *call) pageScope() string {
	return c.r.key.account + "|" + c.r.key.region + "|" + c.action
}

type handler func(c *call) (any, *APIError)

var handlers = map[string]handler{ //nolint:gochecknoglobals // A fixed dispatch table, read only.
	"CreateNatGateway":                 createNatGateway,
	"DescribeNatGateways":              describeNatGateways,
	"DeleteNatGateway":                 deleteNatGateway,
	"AssociateNatGatewayAddress":       associateNatGatewayAddress,
	"DisassociateNatGatewayAddress":    disassociateNatGatewayAddress,
	"AssignPrivateNatGatewayAddress":   assignPrivateNatGatewayAddress,
	"UnassignPrivateNatGatewayAddress": unassignPrivateNatGatewayAddress,
	"AllocateAddress":                  allocateAddress,
	"ReleaseAddress":                   releaseAddress,
	"DescribeAddresses":                describeAddresses,
	"CreateVpc":                        createVpc,
	"DescribeVpcs":                     describeVpcs,
	"CreateSubnet":                     createSubnet,
	"DescribeSubnets":                  describeSubnets,
	"DescribeAvailabilityZones":        describeAvailabilityZones,
	"CreateRouteTable":                 createRouteTable,
	"DescribeRouteTables":              describeRouteTables,
	"CreateRoute":                      createRoute,
	"ReplaceRoute":                     replaceRoute,
	"DeleteRoute":                      deleteRoute,
	"CreateTags":                       createTags,
	"DeleteTags":                       deleteTags,
}

func knownAction(a string) bool {
	_, ok := handlers[a]
	return ok
}

// Actions returns the names of the EC2 actions the simulator serves.
func Actions() []string {
	return sortedKeys(handlers)
}

// ServeHTTP serves EC2 actions and the admin API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, AdminPrefix) {
		s.admin.ServeHTTP(w, r)
		return
	}
	requestID := uuid.NewString()
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		writeError(w, requestID, &APIError{Status: http.StatusMethodNotAllowed, Code: "UnsupportedHttpVerb", Message: "The HTTP verb " + r.Method + " is not supported."})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil {
		writeError(w, requestID, clientError("MalformedQueryString", "cannot read the request body: %v", err))
		return
	}
	if int64(len(body)) > maxRequestBody {
		writeError(w, requestID, &APIError{Status: http.StatusRequestEntityTooLarge, Code: "RequestEntityTooLarge", Message: "The request body is too large."})
		return
	}
	values, perr := requestValues(r, body)
	if perr != nil {
		writeError(w, requestID, perr)
		return
	}
	if action, ok := stsAction(values); ok {
		s.serveSTS(w, r, body, action, values, requestID)
		return
	}
	account, region, aerr := s.authenticate(r, body)
	if aerr != nil {
		s.calls.call(invalidActionKey)
		s.calls.failed(invalidActionKey, aerr.Code, false, false)
		writeError(w, requestID, aerr)
		return
	}
	p := newParams(values)
	action, h, verr := s.route(p)
	if verr != nil {
		s.calls.call(invalidActionKey)
		s.calls.failed(invalidActionKey, verr.Code, false, false)
		writeError(w, requestID, verr)
		return
	}
	s.calls.call(action)
	s.calls.clientCall(clientID(r.UserAgent()), action)
	resp, apiErr := s.serve(r.Context(), action, h, p, regionKey{account: account, region: region}, requestID)
	if r.Context().Err() != nil {
		return // the client went away while the response was held
	}
	if apiErr != nil {
		writeError(w, requestID, apiErr)
		return
	}
	writeXML(w, http.StatusOK, requestID, resp)
}

// requestValues merges the URL query and a form-encoded POST body.
func requestValues(r *http.Request, body []byte) (url.Values, *APIError) {
	values := r.URL.Query()
	if len(body) == 0 {
		return values, nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, clientError("MalformedQueryString", "The request body is not a valid form-encoded query: %v", err)
	}
	for k, v := range form {
		values[k] = append(values[k], v...)
	}
	return values, nil
}

// route checks Action and Version.
func (s *Server) route(p *params) (string, handler, *APIError) {
	q := p.root()
	action, ok := q.str("Action")
	if !ok || action == "" {
		return "", nil, clientError(codeMissingAction, "The request must contain the parameter Action")
	}
	h, ok := handlers[action]
	if !ok {
		return "", nil, clientError(codeInvalidAction, "The action %s is not valid for this web service.", action)
	}
	version, ok := q.str("Version")
	if !ok || version == "" {
		return "", nil, clientError(codeMissingParameter, "The request must contain the parameter Version")
	}
	if version != APIVersion {
		return "", nil, clientError(codeNoSuchVersion, "The requested version (%s) of service AmazonEC2 does not exist", version)
	}
	return action, h, nil
}

// serve throttles, injects faults and runs the handler.
func (s *Server) serve(ctx context.Context, action string, h handler, p *params, k regionKey, requestID string) ([]byte, *APIError) {
	if !s.throttle.allow(k.account, k.region, action, s.throttleNow()) {
		s.calls.failed(action, codeRequestLimitExceeded, true, false)
		return nil, errThrottled()
	}
	plan := s.faults.plan(action)
	if plan.latency > 0 {
		t := time.NewTimer(plan.latency)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, errInternal("The client went away.")
		case <-t.C:
		}
	}
	if plan.err != nil && !plan.afterApply {
		s.calls.failed(action, plan.err.Code, false, true)
		return nil, plan.err
	}
	out, apiErr := s.apply(action, h, p, k)
	var body []byte
	if apiErr == nil {
		if rs, ok := out.(interface{ setRequestID(id string) }); ok {
			rs.setRequestID(requestID)
		}
		var err error
		if body, err = encodeSuccess(action, out); err != nil {
			apiErr = errInternal(fmt.Sprintf("cannot encode the response: %v", err))
		}
	}
	if plan.err != nil {
		s.calls.failed(action, plan.err.Code, false, true)
		apiErr = plan.err
	} else if apiErr != nil {
		s.calls.failed(action, apiErr.Code, false, false)
	}
	if plan.hold > 0 {
		t := time.NewTimer(plan.hold)
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-plan.release:
		}
		t.Stop()
	}
	if apiErr != nil {
		return nil, apiErr
	}
	return body, nil
}

// stamp writes a simulated time into a response.
func (c *call) stamp(t time.Time) string {
	if c.s.opts.WallClockTimestamps {
		t = c.s.clock.Wall(t)
	}
	return formatTime(t)
}

// throttleNow is the time the token buckets refill on.
func (s *Server) throttleNow() time.Time {
	if s.opts.ThrottleWallClock {
		return s.opts.WallClock()
	}
	return s.clock.Now()
}

// apply runs a handler under the server's lock, after moving the region's
// lifecycles up to now.
func (s *Server) apply(action string, h handler, p *params, k regionKey) (resp any, apiErr *APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if v := recover(); v != nil {
			resp, apiErr = nil, errInternal(fmt.Sprintf("internal error: %v", v))
		}
	}()
	now := s.clock.Now()
	r := s.regionLocked(k)
	r.advance(now, s.durations)
	return h(&call{s: s, action: action, p: p, q: p.root(), r: r, now: now, d: s.durations})
}

func (s *Server) regionLocked(k regionKey) *regionState {
	r, ok := s.regions[k]
	if !ok {
		r = newRegionState(k)
		s.regions[k] = r
	}
	return r
}
