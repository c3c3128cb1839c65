// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// An AdminClient drives a simulator's admin API over HTTP.
type AdminClient struct {
	base   string
	client *http.Client
}

// NewAdminClient returns a client for the simulator served at endpoint (the
// same URL the EC2 client uses, e.g. http://127.0.0.1:4566).
func NewAdminClient(endpoint string) *AdminClient {
	return &AdminClient{base: strings.TrimSuffix(endpoint, "/"), client: http.DefaultClient}
}

// WithHTTPClient makes the client use hc.
func (c *AdminClient) WithHTTPClient(hc *http.Client) *AdminClient {
	c.client = hc
	return c
}

func (c *AdminClient) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return errors.Wrap(err, "cannot encode admin request")
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return errors.Wrap(err, "cannot build admin request")
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return errors.Wrapf(err, "cannot call %s %s", method, path)
	}
	defer resp.Body.Close() //nolint:errcheck // Nothing to do about a failed close of a read body.
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return errors.Wrapf(err, "cannot read response of %s %s", method, path)
	}
	if resp.StatusCode != http.StatusOK {
		var e errorResponse
		if json.Unmarshal(b, &e) != nil || e.Error == "" {
			e.Error = strings.TrimSpace(string(b))
		}
		switch resp.StatusCode {
		case http.StatusNotFound:
			return errors.Wrap(ErrNotFound, e.Error)
		case http.StatusConflict:
			return errors.Wrap(ErrConflict, e.Error)
		}
		return errors.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, e.Error)
	}
	if out == nil {
		return nil
	}
	return errors.Wrapf(json.Unmarshal(b, out), "cannot decode response of %s %s", method, path)
}

// DeleteNatGateway implements Admin.
func (c *AdminClient) DeleteNatGateway(ctx context.Context, id string, immediate bool) error {
	return c.do(ctx, http.MethodPost, PathNatGateways+url.PathEscape(id)+"/delete", deleteRequest{Immediate: immediate}, nil)
}

// FailNatGateway implements Admin.
func (c *AdminClient) FailNatGateway(ctx context.Context, id, code, message string) error {
	return c.do(ctx, http.MethodPost, PathNatGateways+url.PathEscape(id)+"/fail", failRequest{Code: code, Message: message}, nil)
}

// PurgeNatGateway implements Admin.
func (c *AdminClient) PurgeNatGateway(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodPost, PathNatGateways+url.PathEscape(id)+"/purge", nil, nil)
}

// Purge implements Admin.
func (c *AdminClient) Purge(ctx context.Context) (int, error) {
	var out purgeResponse
	err := c.do(ctx, http.MethodPost, PathPurge, nil, &out)
	return out.Purged, err
}

// SetFaults implements Admin.
func (c *AdminClient) SetFaults(ctx context.Context, faults []Fault) error {
	if faults == nil {
		faults = []Fault{}
	}
	return c.do(ctx, http.MethodPut, PathFaults, faults, nil)
}

// Faults implements Admin.
func (c *AdminClient) Faults(ctx context.Context) ([]Fault, error) {
	var out []Fault
	err := c.do(ctx, http.MethodGet, PathFaults, nil, &out)
	return out, err
}

// SetThrottle implements Admin.
func (c *AdminClient) SetThrottle(ctx context.Context, cfg ThrottleConfig) error {
	return c.do(ctx, http.MethodPut, PathThrottle, cfg, nil)
}

// Throttle implements Admin.
func (c *AdminClient) Throttle(ctx context.Context) (ThrottleConfig, error) {
	var out ThrottleConfig
	err := c.do(ctx, http.MethodGet, PathThrottle, nil, &out)
	return out, err
}

// SetDurations implements Admin.
func (c *AdminClient) SetDurations(ctx context.Context, d Durations) (Durations, error) {
	var out Durations
	err := c.do(ctx, http.MethodPut, PathDurations, d, &out)
	return out, err
}

// SetClock implements Admin.
func (c *AdminClient) SetClock(ctx context.Context, u ClockUpdate) (ClockStatus, error) {
	var out ClockStatus
	err := c.do(ctx, http.MethodPut, PathClock, u, &out)
	return out, err
}

// Clock implements Admin.
func (c *AdminClient) Clock(ctx context.Context) (ClockStatus, error) {
	var out ClockStatus
	err := c.do(ctx, http.MethodGet, PathClock, nil, &out)
	return out, err
}

// Calls implements Admin.
func (c *AdminClient) Calls(ctx context.Context) (map[string]CallStats, error) {
	out := map[string]CallStats{}
	err := c.do(ctx, http.MethodGet, PathCalls, nil, &out)
	return out, err
}

// ClientCalls implements Admin.
func (c *AdminClient) ClientCalls(ctx context.Context) (map[string]map[string]int64, error) {
	out := map[string]map[string]int64{}
	err := c.do(ctx, http.MethodGet, PathClientCalls, nil, &out)
	return out, err
}

// ResetCalls implements Admin.
func (c *AdminClient) ResetCalls(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, PathCalls, nil, nil)
}

// Reset implements Admin.
func (c *AdminClient) Reset(ctx context.Context) error {
	return c.do(ctx, http.MethodPost, PathReset, nil, nil)
}

// State implements Admin.
func (c *AdminClient) State(ctx context.Context, account, region string) (State, error) {
	q := url.Values{}
	if account != "" {
		q.Set("account", account)
	}
	if region != "" {
		q.Set("region", region)
	}
	path := PathState
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var out State
	err := c.do(ctx, http.MethodGet, path, nil, &out)
	return out, err
}
