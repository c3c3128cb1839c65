// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package natgateway reconciles NATGateway managed resources with AWS NAT
// gateways, and brings back a gateway that was deleted, purged or failed
// outside Crossplane.
//
// # Existence
//
// Observe reads the gateway named by the external name, which is the ID EC2
// assigned. A gateway EC2 lists as deleted, or no longer knows
// (NatGatewayNotFound, or an empty answer), does not exist, so the managed
// reconciler creates it again. A pending or deleting gateway exists and is
// not ready; an available one is ready, and up to date when its tags and
// secondary addresses match the spec. While the NATGateway itself is being
// deleted, the finalizer stays until EC2 reports the gateway deleted or gone.
//
// # How soon a deleted gateway is noticed
//
// Each NATGateway is observed once per poll interval: the provider's --poll
// flag, 1m by default, or the crossplane.io/poll-interval annotation of the
// NATGateway. A gateway deleted outside Crossplane is therefore noticed and
// replaced within one poll interval (plus the reconcile queue's delay);
// EC2 lists a deleted gateway for about an hour, and its purge is treated the
// same way, so no deletion is missed however long the interval. A gateway in
// transition (pending, deleting, or with an address being associated or
// assigned) is observed again after 5s, so a replacement follows its
// predecessor's deletion within seconds. Each observation is one
// DescribeNatGateways call.
//
// # Failed gateways
//
// A gateway EC2 reports as failed (an Elastic IP address already associated
// elsewhere, a subnet out of addresses, ...) is not ready, and its Ready
// condition carries EC2's failure code and message. With spec.onFailed
// Recreate, the default, it is replaced by a new gateway with exponential
// backoff: the first failed gateway 30s after its creation, then twice as
// long for every further failed gateway in a row, at most 30m, so a cause
// that persists costs one gateway per 30 minutes at most. A replacement that
// does not fail ends the streak. With spec.onFailed Report, a failed gateway
// is only reported and never replaced.
//
// # Replacement
//
// A gateway's primary address cannot change. When spec.forProvider.allocationId
// no longer matches it (a referenced ElasticIP was allocated again), Update
// deletes the gateway and, once EC2 reports it deleted, Create makes a new one
// with the new address.
//
// # Idempotent creation
//
// Create sends a ClientToken derived from the NATGateway's UID and the ID of
// the gateway it replaces, and tags the gateway with its ownership tags
// (egresskit.io/uid among them). Every attempt to make one gateway sends the
// same token, so a crash between the creation and the write of the external
// name gets the same gateway back; a live gateway tagged for the NATGateway
// is adopted rather than another made.
//
// # Visibility
//
// Every replacement is recorded in the egresskit.io/healing annotation, which
// the next Observe mirrors into status.atProvider.healing, emits a Recreated
// event naming the old and new IDs, and increments
// egresskit_natgateway_recreations_total{reason} with reason deleted,
// not-found, failed or replaced. A gateway found deleted also gets a
// GatewayDeleted warning event.
package natgateway
