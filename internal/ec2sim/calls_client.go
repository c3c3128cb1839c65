// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"context"
	"maps"
	"strings"
)

// appIDPrefix starts the User-Agent token in which the AWS SDKs write the
// application ID a client was configured with, e.g. app/replica-a.
const appIDPrefix = "app/"

// clientID returns the application ID of a User-Agent, or "" when it names
// none.
func clientID(userAgent string) string {
	for t := range strings.FieldsSeq(userAgent) {
		if id, ok := strings.CutPrefix(t, appIDPrefix); ok {
			return id
		}
	}
	return ""
}

func (c *callCounter) clientCall(client, action string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.byClient[client]
	if !ok {
		m = map[string]int64{}
		c.byClient[client] = m
	}
	m[action]++
}

func (c *callCounter) clientSnapshot() map[string]map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]map[string]int64, len(c.byClient))
	for k, v := range c.byClient {
		out[k] = maps.Clone(v)
	}
	return out
}

// ClientCalls implements Admin.
func (s *Server) ClientCalls(_ context.Context) (map[string]map[string]int64, error) {
	return s.calls.clientSnapshot(), nil
}
