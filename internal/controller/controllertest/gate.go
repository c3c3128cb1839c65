// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package controllertest

import "k8s.io/apimachinery/pkg/runtime/schema"

// A Gate records the kinds controllers register to wait for; it never opens.
type Gate struct {
	GVKs []schema.GroupVersionKind
}

// Register records gvks.
func (g *Gate) Register(_ func(), gvks ...schema.GroupVersionKind) {
	g.GVKs = append(g.GVKs, gvks...)
}

// Set does nothing and reports false.
func (g *Gate) Set(schema.GroupVersionKind, bool) bool { return false }
