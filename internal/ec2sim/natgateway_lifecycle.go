// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import "time"

// advance moves every gateway of the region through the transitions due by
// now, at the simulated times they were due, and purges gateways whose
// retention has passed.
func (r *regionState) advance(now time.Time, d Durations) {
	if r.nextEvent.IsZero() || now.Before(r.nextEvent) {
		return
	}
	r.nextEvent = time.Time{}
	for id, n := range r.natGateways {
		for r.step(n, now, d) {
		}
		if _, ok := r.natGateways[id]; ok {
			r.schedule(n.nextEvent())
		}
	}
}

// step makes the next transition of n due by now, and reports whether it
// made one.
func (r *regionState) step(n *natGateway, now time.Time, d Durations) bool {
	switch n.state {
	case statePending:
		if now.Before(n.availableAt) {
			return false
		}
		if f := n.plannedFailure; f != nil {
			r.fail(n, n.availableAt, f.code, f.message, f.allocationID, d)
			return true
		}
		n.state = stateAvailable
		for _, a := range n.addresses {
			settleAddress(a, n.availableAt)
		}
		return true
	case stateAvailable:
		return r.stepAddresses(n, now)
	case stateDeleting:
		if now.Before(n.deletedAt) {
			return false
		}
		r.finishDelete(n, n.deletedAt, d)
		return true
	case stateDeleted, stateFailed:
		if now.Before(n.purgeAt) {
			return false
		}
		r.purge(n)
		return false
	}
	return false
}

// settleAddress ends associating or assigning.
func settleAddress(a *natAddress, at time.Time) {
	if (a.status == addrAssociating || a.status == addrAssigning) && !at.Before(a.readyAt) {
		a.status = addrSucceeded
	}
}

// stepAddresses settles new addresses and removes drained ones.
func (r *regionState) stepAddresses(n *natGateway, now time.Time) bool {
	changed := false
	kept := n.addresses[:0]
	for _, a := range n.addresses {
		switch a.status {
		case addrAssociating, addrAssigning:
			if !now.Before(a.readyAt) {
				a.status = addrSucceeded
				changed = true
			}
		case addrDisassociating, addrUnassigning:
			if !now.Before(a.drainUntil) {
				r.releaseNatAddress(n, a)
				changed = true
				continue
			}
		}
		kept = append(kept, a)
	}
	clear(n.addresses[len(kept):])
	n.addresses = kept
	return changed
}

// nextEvent returns when n next changes, or the zero time.
func (n *natGateway) nextEvent() time.Time {
	switch n.state {
	case statePending:
		return n.availableAt
	case stateDeleting:
		return n.deletedAt
	case stateDeleted, stateFailed:
		return n.purgeAt
	case stateAvailable:
		var next time.Time
		for _, a := range n.addresses {
			var t time.Time
			switch a.status {
			case addrAssociating, addrAssigning:
				t = a.readyAt
			case addrDisassociating, addrUnassigning:
				t = a.drainUntil
			default:
				continue
			}
			if next.IsZero() || t.Before(next) {
				next = t
			}
		}
		return next
	}
	return time.Time{}
}

// releaseNatAddress frees what one address of n holds: the Elastic IP's
// association (when n holds it) and the subnet's private address.
func (r *regionState) releaseNatAddress(n *natGateway, a *natAddress) {
	if a.allocationID != "" {
		if eip, ok := r.addresses[a.allocationID]; ok && eip.natID == n.id {
			eip.disassociate()
		}
	}
	if a.privateIP != "" {
		if s, ok := r.subnets[n.subnetID]; ok {
			s.release(a.privateIP)
		}
	}
}

func (r *regionState) releaseAll(n *natGateway) {
	for _, a := range n.addresses {
		r.releaseNatAddress(n, a)
	}
}

// beginDelete starts deleting a pending or available gateway.
func (r *regionState) beginDelete(n *natGateway, now time.Time, d Durations) {
	if n.state != statePending && n.state != stateAvailable {
		return
	}
	n.state = stateDeleting
	n.plannedFailure = nil
	n.deletedAt = now.Add(d.Deleting)
	for _, a := range n.addresses {
		if n.connectivity == connectivityPublic {
			a.status = addrDisassociating
		} else {
			a.status = addrUnassigning
		}
	}
	r.schedule(n.deletedAt)
}

// finishDelete makes n deleted at the given time: its addresses are
// released, it stays listed for the retention period.
func (r *regionState) finishDelete(n *natGateway, at time.Time, d Durations) {
	r.releaseAll(n)
	n.state = stateDeleted
	n.deleteTime = at
	n.purgeAt = at.Add(d.Retention)
	for _, a := range n.addresses {
		a.status = addrSucceeded
	}
	r.schedule(n.purgeAt)
}

// fail makes n failed at the given time with a failure code and message,
// releasing its addresses; it stays listed for the retention period.
func (r *regionState) fail(n *natGateway, at time.Time, code, message, allocationID string, d Durations) {
	r.releaseAll(n)
	n.state = stateFailed
	n.plannedFailure = nil
	n.failureCode, n.failureMessage = code, message
	n.deleteTime = at
	n.purgeAt = at.Add(d.Retention)
	for _, a := range n.addresses {
		a.status = addrFailed
		if a.allocationID != "" && a.allocationID == allocationID {
			a.failureMessage = message
		}
	}
	r.schedule(n.purgeAt)
}

// purge forgets n and its ClientToken. Routes to it read blackhole.
func (r *regionState) purge(n *natGateway) {
	if n.live() {
		r.releaseAll(n)
	}
	delete(r.natGateways, n.id)
	if r.tokens[n.clientToken] == n {
		delete(r.tokens, n.clientToken)
	}
}
