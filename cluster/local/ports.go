// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"net"
	"sync"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// given remembers the ports handed out by this process, so that two callers
// never get the same port even when the kernel offers it twice.
//
//nolint:gochecknoglobals // The ports are handed out once per process, whoever asks for them.
var given struct {
	sync.Mutex

	ports map[int]bool
}

// FreePorts returns n distinct TCP ports that were free on 127.0.0.1 when
// asked. Another process may still take one before it is used; the control
// plane retries with new ports when a component cannot bind.
func FreePorts(n int) ([]int, error) {
	given.Lock()
	defer given.Unlock()
	if given.ports == nil {
		given.ports = map[int]bool{}
	}

	var held []net.Listener
	defer func() {
		for _, l := range held {
			_ = l.Close()
		}
	}()

	ports := make([]int, 0, n)
	for tries := 0; len(ports) < n; tries++ {
		if tries > 100*n {
			return nil, errors.Errorf("cannot find %d free ports on 127.0.0.1", n)
		}
		l, err := net.Listen("tcp", "127.0.0.1:0") //nolint:noctx // Binding a loopback port does not block, so there is nothing to cancel.
		if err != nil {
			return nil, errors.Wrap(err, "cannot find a free port on 127.0.0.1")
		}
		held = append(held, l)
		p := l.Addr().(*net.TCPAddr).Port //nolint:forcetypeassert // always TCP here
		if given.ports[p] {
			continue
		}
		given.ports[p] = true
		ports = append(ports, p)
	}
	return ports, nil
}

// FreePort returns one TCP port that was free on 127.0.0.1 when asked.
func FreePort() (int, error) {
	p, err := FreePorts(1)
	if err != nil {
		return 0, err
	}
	return p[0], nil
}
