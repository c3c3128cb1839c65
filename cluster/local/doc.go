// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package local runs a real Kubernetes control plane on the loopback
// interface for tests and the demo: etcd, kube-apiserver and, when asked,
// kube-controller-manager (garbage collector and namespace controllers),
// plus Crossplane core and any of the project's own binaries as managed
// subprocesses.
//
// The binaries come from the pinned tools modules under cluster/tools, built
// once by cluster/tools/build.sh into .cache/tools (see FindTools).
//
// Every process is started in its own process group, dies with the process
// that started it (Linux), logs to a file and is stopped by Stop, by the
// testing cleanup of the *ForTest helpers, or on SIGINT/SIGTERM once
// HandleSignals is installed.
package local
