// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"crypto/sha256"
	"encoding/hex"

	"k8s.io/apimachinery/pkg/types"
)

// tokenPrefix starts every ClientToken the provider sends.
const tokenPrefix = "egk-"

// clientToken returns the ClientToken of the CreateNatGateway call that makes
// the gateway of the managed resource with the given UID in place of the
// gateway previousID ("" for the first gateway).
//
// The token depends on nothing else, the spec in particular: every retry of
// one creation sends the same token, so a crash after EC2 made the gateway
// and before its ID was recorded gets the same gateway back instead of a
// second one. A replacement has another previous ID and therefore another
// token, so EC2 never answers it with the gateway it replaces. The token has
// 44 ASCII characters; EC2 accepts up to 64.
func clientToken(uid types.UID, previousID string) string {
	sum := sha256.Sum256([]byte(string(uid) + "/" + previousID))
	return tokenPrefix + hex.EncodeToString(sum[:])[:40]
}
