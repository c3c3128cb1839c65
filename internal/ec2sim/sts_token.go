// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// DefaultWebIdentityAudience is the audience IRSA tokens carry.
const DefaultWebIdentityAudience = "sts.amazonaws.com"

// PodIdentityAudience is the audience of EKS Pod Identity tokens.
const PodIdentityAudience = "pods.eks.amazonaws.com"

// tokenClaims are the claims of a Kubernetes service account token that STS
// checks. The simulator reads them but does not verify the signature: it
// trusts the issuer the test runs.
type tokenClaims struct {
	Issuer   string
	Subject  string
	Audience []string
	Expiry   time.Time
}

// parseToken reads the claims of a JWT. It reports false for anything that
// is not a JWT with a subject, an audience and an expiry.
func parseToken(token string) (tokenClaims, bool) {
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 {
		return tokenClaims{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return tokenClaims{}, false
	}
	var c struct {
		Iss string          `json:"iss"`
		Sub string          `json:"sub"`
		Aud json.RawMessage `json:"aud"`
		Exp int64           `json:"exp"`
	}
	if json.Unmarshal(b, &c) != nil || c.Sub == "" || c.Exp == 0 {
		return tokenClaims{}, false
	}
	var aud []string
	if json.Unmarshal(c.Aud, &aud) != nil {
		var one string
		if json.Unmarshal(c.Aud, &one) != nil || one == "" {
			return tokenClaims{}, false
		}
		aud = []string{one}
	}
	return tokenClaims{Issuer: c.Iss, Subject: c.Sub, Audience: aud, Expiry: time.Unix(c.Exp, 0)}, true
}

func (c tokenClaims) hasAudience(aud string) bool {
	return slices.Contains(c.Audience, aud)
}
