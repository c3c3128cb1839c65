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
// EC2 is eventually consistent: for creationGracePeriod after creating a
// gateway, a gateway EC2 does not list yet still exists (not ready), so no
// second one is made;
// a gateway EC2 lists as deleted is replaced at once, however new.
//
// # How soon a deleted gateway is noticed
//
// The NAT gateway inventory (package natinventory) lists the gateways of each
// provider configuration and region in use every DefaultInventoryInterval
// (the provider's --nat-inventory-interval; 0 turns it off),
// natinventory.PageSize to a DescribeNatGateways call, filtered by their
// ownership tags. When a listing shows a gateway
// deleting, deleted or failed where the previous one did not, or a gateway
// has vanished from it, the NATGateway named by the gateway's
// crossplane-namespace and crossplane-name tags is reconciled at once. A
// gateway deleted outside Crossplane is therefore noticed within one
// inventory interval (half of it on average) plus the listing's own time,
// however long the poll interval, and replaced by that reconcile. EC2 lists a
// deleted gateway for about an hour, and its purge is treated the same way,
// so no deletion is missed.
//
// Each NATGateway is still observed once per poll interval (the provider's
// --poll flag, or the crossplane.io/poll-interval annotation of
// the NATGateway), to catch other drift such as changed tags. Observe reads
// the gateway from the latest listing when that listing is less than one and
// a half intervals old, holds the gateway, began after the provider last
// changed it, and shows it available with no address changing, deleted or
// failed: then the observation costs no EC2 call, and its outcome is the one
// a describe of the same gateway gives. Otherwise (a gateway made since the
// listing, imported without tags, gone from it, pending or deleting, or a
// listing that failed) it describes the gateway by ID with one
// DescribeNatGateways call; only a describe decides that a gateway is gone.
// A gateway in transition (pending, deleting, or with an address being
// associated or assigned) is observed again after DefaultShortPollInterval,
// so a replacement follows its predecessor's deletion within seconds.
//
// N gateways thus cost ceil(N/natinventory.PageSize) calls per inventory
// interval, where one describe per gateway per poll would cost N calls per
// poll interval; the README's table gives the calls and the snapshot memory
// measured for thousands of gateways. A configuration and region is listed
// only while its NATGateways are observed: listing stops once none was for a
// few poll intervals (inventoryIdle), and resumes with the next observation.
//
// # Failed gateways
//
// A gateway EC2 reports as failed (an Elastic IP address already associated
// elsewhere, a subnet out of addresses, ...) is not ready, and its Ready
// condition carries EC2's failure code and message. With spec.onFailed
// Recreate, the default, it is replaced by a new gateway with exponential
// backoff: the first failed gateway DefaultFailedBackoffBase after its
// creation, then twice as long for every further failed gateway in a row, at
// most DefaultFailedBackoffMax, so a cause that persists costs one gateway
// per DefaultFailedBackoffMax at most. A replacement that
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
// is adopted rather than another made. The provider checks the tag and state
// of every gateway EC2 answers with itself, since some EC2-compatible
// endpoints (moto) ignore the filters and list every gateway of the account.
//
// # Deletion during a create
//
// A NATGateway deleted while its create was in flight (the provider stopped
// after EC2 applied a CreateNatGateway it never read the answer of) has no
// external name, or names a gateway that is gone while its replacement
// lives. Once the named gateway, if any, no longer exists, Observe lists the
// live gateways tagged with the NATGateway's UID, the tag the create request
// carried with the deterministic ClientToken; each keeps the NATGateway
// existing, so Delete deletes it and the finalizer stays until EC2 reports
// none live. A create interrupted less than 30s ago keeps the NATGateway
// existing too, for a gateway EC2 does not list yet.
//
// # Visibility
//
// Every replacement is recorded in the egresskit.io/healing annotation, which
// the next Observe mirrors into status.atProvider.healing; the record holds
// the number of failed gateways replaced in a row (failedStreak), from which
// the backoff of a failed gateway follows. Every replacement also emits a Recreated
// event naming the old and new IDs, and increments
// egresskit_natgateway_recreations_total{reason} with reason deleted,
// not-found, failed or replaced. A gateway found deleted also gets a
// GatewayDeleted warning event, and a failed one to be replaced a
// GatewayFailed one; both say whether a new gateway is created, which it is
// not when spec.managementPolicies leave out Create (an observe-only
// NATGateway, for one).
package natgateway
