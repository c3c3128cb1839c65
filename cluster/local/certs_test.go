// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func loadTLSDir(t *testing.T, dir string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key"))
	if err != nil {
		t.Fatalf("cannot load key pair from %s: %v", dir, err)
	}
	ca, err := os.ReadFile(filepath.Join(dir, "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		t.Fatalf("no CA certificate in %s/ca.crt", dir)
	}
	return cert, pool
}

// handshake serves one TLS connection with server and dials it at host
// with client, returning the client's and the server's handshake errors.
func handshake(t *testing.T, server, client *tls.Config, host string) (clientErr, serverErr error) {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	done := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			done <- err
			return
		}
		defer c.Close()
		done <- tls.Server(c, server).HandshakeContext(t.Context())
	}()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	c, err := (&tls.Dialer{Config: client}).DialContext(t.Context(), "tcp", net.JoinHostPort(host, port))
	if err == nil {
		// TLS 1.3 reports a rejected client certificate on the first read.
		_, err = c.Read(make([]byte, 1))
		if err != nil && err.Error() == "EOF" {
			err = nil
		}
		_ = c.Close()
	}
	return err, <-done
}

func TestWriteFunctionTLS(t *testing.T) {
	ft, err := WriteFunctionTLS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	serverCert, serverCA := loadTLSDir(t, ft.ServerDir)
	clientCert, clientCA := loadTLSDir(t, ft.ClientDir)

	// As function-sdk-go serves: client certificates required and verified.
	server := &tls.Config{Certificates: []tls.Certificate{serverCert}, ClientCAs: serverCA, ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12}

	cases := map[string]struct {
		reason string
		client *tls.Config
		wantOK bool
	}{
		"CrossplaneByIP": {
			reason: "Crossplane verifies the function at 127.0.0.1 and presents its client certificate.",
			client: &tls.Config{Certificates: []tls.Certificate{clientCert}, RootCAs: clientCA, MinVersion: tls.VersionTLS12},
			wantOK: true,
		},
		"CrossplaneByName": {
			reason: "The server certificate is valid for localhost too.",
			client: &tls.Config{Certificates: []tls.Certificate{clientCert}, RootCAs: clientCA, ServerName: "localhost", MinVersion: tls.VersionTLS12},
			wantOK: true,
		},
		"NoClientCertificate": {
			reason: "The function refuses a caller without a client certificate.",
			client: &tls.Config{RootCAs: clientCA, MinVersion: tls.VersionTLS12},
		},
		"ServerCertificateAsClient": {
			reason: "The function's serverAuth certificate is no client certificate.",
			client: &tls.Config{Certificates: []tls.Certificate{serverCert}, RootCAs: clientCA, MinVersion: tls.VersionTLS12},
		},
		"WrongName": {
			reason: "The server certificate names only localhost and 127.0.0.1.",
			client: &tls.Config{Certificates: []tls.Certificate{clientCert}, RootCAs: clientCA, ServerName: "example.com", MinVersion: tls.VersionTLS12},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			clientErr, serverErr := handshake(t, server, tc.client, "127.0.0.1")
			got := clientErr == nil && serverErr == nil
			if diff := cmp.Diff(tc.wantOK, got); diff != "" {
				t.Errorf("%s\nhandshake ok: -want, +got:\n%s\nclient: %v\nserver: %v", tc.reason, diff, clientErr, serverErr)
			}
		})
	}
}
