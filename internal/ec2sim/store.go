// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"fmt"
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"net/netip"
	"sort"
	"time"
)

// A regionKey names the state of one account in one region: an access key
// of long-term keys, or the 12-digit account ID of role sessions.
type regionKey struct {
	account, region string
}

// A regionState is everything one account owns in one region. The server's
// mutex guards it.
type regionState struct {
	key     regionKey
	ownerID string
	zones   []zone

	vpcs        map[string]*vpc
	subnets     map[string]*subnet
	addresses   map[string]*address
	publicIPs   map[string]string // public IP to allocation ID
	natGateways map[string]*natGateway
	routeTables map[string]*routeTable
	// tokens maps a CreateNatGateway ClientToken to its gateway. A token
	// lives as long as its gateway is listed.
	tokens map[string]*natGateway
	// routeTableTokens maps a CreateRouteTable ClientToken to its table.
	routeTableTokens map[string]tokenEntry
	// nextEvent is the earliest scheduled transition; advance does nothing
	// before it.
	nextEvent time.Time
}

func newRegionState(k regionKey) *regionState {
	return &regionState{
		key:         k,
		ownerID:     accountID(k.account),
		zones:       zonesOf(k.region),
		vpcs:        map[string]*vpc{},
		subnets:     map[string]*subnet{},
		addresses:   map[string]*address{},
		publicIPs:   map[string]string{},
		natGateways: map[string]*natGateway{},
		routeTables: map[string]*routeTable{},
		tokens:      map[string]*natGateway{},

		routeTableTokens: map[string]tokenEntry{},
	}
}

// A tokenEntry remembers the resource a ClientToken created and a digest of
// the request's parameters.
type tokenEntry struct {
	id, hash string
}

// accountID derives a stable 12-digit account ID from an access key; the
// state of a role session is keyed by its account ID already.
func accountID(accessKey string) string {
	if isAccountID(accessKey) {
		return accessKey
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(accessKey))
	return fmt.Sprintf("%012d", h.Sum64()%1_000_000_000_000)
}

// schedule makes sure advance runs again at t.
func (r *regionState) schedule(t time.Time) {
	if t.IsZero() {
		return
	}
	if r.nextEvent.IsZero() || t.Before(r.nextEvent) {
		r.nextEvent = t
	}
}

// newID returns prefix-<17 hex digits> not yet used in the region.
func (r *regionState) newID(prefix string) string {
	for {
		id := fmt.Sprintf("%s-%016x%x", prefix, rand.Uint64(), rand.IntN(16)) //nolint:gosec // IDs must be unique, which idUsed checks, not secret.
		if !r.idUsed(id) {
			return id
		}
	}
}

func (r *regionState) idUsed(id string) bool {
	if _, ok := r.vpcs[id]; ok {
		return true
	}
	if _, ok := r.subnets[id]; ok {
		return true
	}
	if _, ok := r.addresses[id]; ok {
		return true
	}
	if _, ok := r.natGateways[id]; ok {
		return true
	}
	_, ok := r.routeTables[id]
	return ok
}

// newPublicIP returns an unused address in 198.18.0.0/15, the range kept
// for benchmarks, so it never routes anywhere.
func (r *regionState) newPublicIP() string {
	for {
		n := rand.Uint32N(1 << 17) //nolint:gosec // Addresses must be unused, which the loop checks, not secret.
		ip := fmt.Sprintf("198.%d.%d.%d", 18+n>>16, (n>>8)&0xff, n&0xff)
		if n&0xff == 0 || n&0xff == 255 {
			continue
		}
		if _, ok := r.publicIPs[ip]; !ok {
			return ip
		}
	}
}

// tagMap holds the tags of one resource.
type tagMap map[string]string

type tagXML struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

func (t tagMap) xml() set[tagXML] {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := set[tagXML]{Items: make([]tagXML, 0, len(keys))}
	for _, k := range keys {
		out.Items = append(out.Items, tagXML{Key: k, Value: t[k]})
	}
	return out
}

func (t tagMap) copy() map[string]string {
	out := make(map[string]string, len(t))
	maps.Copy(out, t)
	return out
}

func newTags(in []tagInput) tagMap {
	t := tagMap{}
	for _, tag := range in {
		t[tag.Key] = tag.Value
	}
	return t
}

// sortedKeys returns the keys of a map of objects, sorted.
func sortedKeys[T any](m map[string]T) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// prefixContains reports whether inner lies within outer.
func prefixContains(outer, inner netip.Prefix) bool {
	return outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}
