// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"os"
	"strconv"
	"testing"
)

// systemCABundle is the bundle AWS_CA_BUNDLE names on this machine and in CI.
const systemCABundle = "/etc/ssl/certs/ca-certificates.crt"

// BenchmarkClientFor measures what a reconcile pays for its EC2 client: a
// cache hit (the configuration and Secret are unchanged) against a build (a
// new Secret version each time, which reloads the SDK configuration).
func BenchmarkClientFor(b *testing.B) {
	b.Run("CacheHit", func(b *testing.B) {
		isolateAWSEnv(b)
		f := NewClientFactory(newKube(providerConfig(), credentialsSecret("1")).client())
		mg := natGateway()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := f.ClientFor(context.Background(), mg, "eu-west-1"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Build", func(b *testing.B) {
		isolateAWSEnv(b)
		benchmarkBuild(b)
	})
	b.Run("BuildWithCABundle", func(b *testing.B) {
		isolateAWSEnv(b)
		if _, err := os.Stat(systemCABundle); err != nil {
			b.Skipf("no system CA bundle at %s", systemCABundle)
		}
		// Each build reads and parses the bundle and makes a new transport,
		// so a rebuilt client also starts without pooled connections.
		b.Setenv("AWS_CA_BUNDLE", systemCABundle)
		benchmarkBuild(b)
	})
}

func benchmarkBuild(b *testing.B) {
	b.Helper()
	k := newKube(providerConfig(), credentialsSecret("1"))
	f := NewClientFactory(k.client())
	mg := natGateway()
	i := 1
	b.ReportAllocs()
	for b.Loop() {
		i++
		k.put(credentialsSecret(strconv.Itoa(i)))
		if _, err := f.ClientFor(context.Background(), mg, "eu-west-1"); err != nil {
			b.Fatal(err)
		}
	}
}
