// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/function-sdk-go/resource"
)

// Composition resource names. They are keyed by zone, so adding or removing
// a zone never renames the resources of the others.
const regionalGateway resource.Name = "nat-regional"

func eipName(zone string) resource.Name { return resource.Name("eip-" + zone) }

// natName names the gateway of a zone. A gateway on a bring-your-own address
// carries the address's allocation ID in its name: a NAT gateway's primary
// address cannot change, so choosing another address composes a new gateway
// (the zone's routes use another zone's gateway until it is available)
// rather than an update that NATGateway's create-only allocationId refuses.
func natName(zone, allocationID string) resource.Name {
	if allocationID != "" {
		return resource.Name("nat-" + zone + "-" + allocationID)
	}
	return resource.Name("nat-" + zone)
}

func routeName(zone, routeTableID string) resource.Name {
	return resource.Name("route-" + zone + "-" + routeTableID)
}

// objectName returns the metadata.name of a composed resource: the
// composite resource's name and the composition resource name joined by a
// dash. Names longer than a Kubernetes name may be are cut and end in a hash
// of the full name, so they stay unique and stable.
func objectName(xr string, rn resource.Name) (string, error) {
	name := xr + "-" + string(rn)
	if len(name) > validation.DNS1123SubdomainMaxLength {
		sum := sha256.Sum256([]byte(name))
		head := strings.TrimRight(name[:validation.DNS1123SubdomainMaxLength-11], "-.")
		name = head + "-" + hex.EncodeToString(sum[:])[:10]
	}
	if msgs := validation.IsDNS1123Subdomain(name); len(msgs) > 0 {
		return "", errors.Errorf("%q is not a valid name for composed resource %s: %s", name, rn, strings.Join(msgs, ", "))
	}
	return name, nil
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	return slices.Sorted(maps.Keys(m))
}
