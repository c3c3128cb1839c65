// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package v1alpha1

import (
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// TypeCredentials is the condition of a provider configuration that says
// whether its credentials resolved, and when not, why and what to fix.
const TypeCredentials xpv2.ConditionType = "Credentials"

// Reasons of the Credentials condition.
const (
	ReasonResolved             xpv2.ConditionReason = "Resolved"
	ReasonAccessDenied         xpv2.ConditionReason = "AccessDenied"
	ReasonInvalidIdentityToken xpv2.ConditionReason = "InvalidIdentityToken"
	ReasonExpiredToken         xpv2.ConditionReason = "ExpiredToken"
	ReasonTokenFileMissing     xpv2.ConditionReason = "TokenFileMissing"
	ReasonInvalidRequest       xpv2.ConditionReason = "InvalidRequest"
	ReasonUnavailable          xpv2.ConditionReason = "Unavailable"
)
