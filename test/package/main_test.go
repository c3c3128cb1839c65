// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package pkgtest

import (
	"fmt"
	"os"
	"testing"
)

// TestMain removes the packages the tests shared once they are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.b.dir != "" {
		if err := os.RemoveAll(built.b.dir); err != nil {
			fmt.Fprintf(os.Stderr, "cannot remove %s: %v\n", built.b.dir, err)
		}
	}
	os.Exit(code)
}
