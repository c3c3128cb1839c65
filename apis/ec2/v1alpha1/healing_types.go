// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// States in which a replaced external resource can be found, as recorded in
// HealingEvent.FoundState.
const (
	FoundStateDeleted  = "deleted"
	FoundStateFailed   = "failed"
	FoundStateNotFound = "not-found"
	FoundStateReplaced = "replaced"
)

// A Healing records how the provider brought back an external resource that
// disappeared or broke outside Crossplane.
type Healing struct {
	// Recreations counts how many times the external resource was created
	// again after its first creation.
	Recreations int64 `json:"recreations"`

	// FailedStreak counts the failed external resources replaced in a row,
	// the one the last recreation replaced included: the longer the streak,
	// the longer a failed replacement waits before it is replaced in turn.
	// It is unset when the last recreation replaced a resource that had not
	// failed.
	// +optional
	FailedStreak int64 `json:"failedStreak,omitempty"`

	// Last describes the most recent recreation.
	// +optional
	Last *HealingEvent `json:"last,omitempty"`
}

// A HealingEvent describes one recreation.
type HealingEvent struct {
	// PreviousID is the ID of the external resource that was replaced.
	PreviousID string `json:"previousId"`

	// FoundState is the state the previous resource was found in: deleted,
	// failed, not-found (purged or released), or replaced (a create-only
	// field changed).
	FoundState string `json:"foundState"`

	// NewID is the ID of the external resource that replaced it.
	// +optional
	NewID string `json:"newId,omitempty"`

	// Time of the recreation.
	Time metav1.Time `json:"time"`
}
