// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// certValidity is long enough for any test or demo run, and short enough
// that a leaked key is worthless soon.
const certValidity = 7 * 24 * time.Hour

// A CA is a throwaway certificate authority for loopback TLS.
type CA struct {
	cert *x509.Certificate
	key  crypto.Signer

	// CertPEM is the CA certificate, PEM encoded.
	CertPEM []byte
}

// NewCA returns a new self-signed CA.
func NewCA(commonName string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, errors.Wrap(err, "cannot generate CA key")
	}
	serial, err := serialNumber()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: commonName},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(certValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, errors.Wrap(err, "cannot create CA certificate")
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, errors.Wrap(err, "cannot parse CA certificate")
	}
	return &CA{cert: cert, key: key, CertPEM: pemBlock("CERTIFICATE", der)}, nil
}

// CertOptions describe a certificate to issue.
type CertOptions struct {
	CommonName   string
	Organization []string
	DNSNames     []string
	IPAddresses  []net.IP
	// Usages are the extended key usages, e.g. x509.ExtKeyUsageServerAuth.
	Usages []x509.ExtKeyUsage
}

// A KeyPair is a PEM-encoded certificate and private key.
type KeyPair struct {
	CertPEM []byte
	KeyPEM  []byte
}

// Issue returns a new key and a certificate for it, signed by the CA.
func (ca *CA) Issue(o CertOptions) (KeyPair, error) {
	if o.CommonName == "" {
		return KeyPair{}, errors.New("cannot issue a certificate without a common name")
	}
	if len(o.Usages) == 0 {
		return KeyPair{}, errors.Errorf("cannot issue certificate %q without extended key usages", o.CommonName)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return KeyPair{}, errors.Wrap(err, "cannot generate key")
	}
	serial, err := serialNumber()
	if err != nil {
		return KeyPair{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: o.CommonName, Organization: o.Organization},
		DNSNames:     o.DNSNames,
		IPAddresses:  o.IPAddresses,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(certValidity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  o.Usages,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		return KeyPair{}, errors.Wrapf(err, "cannot create certificate %q", o.CommonName)
	}
	keyPEM, err := privateKeyPEM(key)
	if err != nil {
		return KeyPair{}, err
	}
	return KeyPair{CertPEM: pemBlock("CERTIFICATE", der), KeyPEM: keyPEM}, nil
}

// WriteTLSDir writes tls.crt, tls.key and ca.crt into dir, the layout
// Crossplane and function-sdk-go read.
func WriteTLSDir(dir string, kp KeyPair, caPEM []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return errors.Wrap(err, "cannot create TLS directory")
	}
	files := map[string][]byte{"tls.crt": kp.CertPEM, "tls.key": kp.KeyPEM, "ca.crt": caPEM}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return errors.Wrapf(err, "cannot write %s", name)
		}
	}
	return nil
}

// FunctionTLS is the mTLS material between Crossplane core and composition
// functions that serve on the loopback interface. One CA signs both sides.
type FunctionTLS struct {
	// ServerDir holds a function's serving certificate (SANs localhost and
	// 127.0.0.1, EKU serverAuth) and ca.crt, the CA it verifies
	// Crossplane's client certificate with. Pass it to function-sdk-go's
	// MTLSCertificates (the function's --tls-certs-dir).
	ServerDir string
	// ClientDir holds Crossplane's client certificate (EKU clientAuth) and
	// ca.crt, the CA it verifies functions with. Crossplane core reads it
	// from --tls-client-certs-dir.
	ClientDir string
}

// WriteFunctionTLS generates a CA, a function server certificate and a
// Crossplane client certificate, written to dir/server and dir/client.
func WriteFunctionTLS(dir string) (FunctionTLS, error) {
	ca, err := NewCA("egresskit-local-function-ca")
	if err != nil {
		return FunctionTLS{}, err
	}
	server, err := ca.Issue(CertOptions{
		CommonName:  "localhost",
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		Usages:      []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	if err != nil {
		return FunctionTLS{}, err
	}
	client, err := ca.Issue(CertOptions{
		CommonName: "crossplane",
		Usages:     []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	if err != nil {
		return FunctionTLS{}, err
	}
	t := FunctionTLS{ServerDir: filepath.Join(dir, "server"), ClientDir: filepath.Join(dir, "client")}
	if err := WriteTLSDir(t.ServerDir, server, ca.CertPEM); err != nil {
		return FunctionTLS{}, errors.Wrap(err, "cannot write function server certificate")
	}
	if err := WriteTLSDir(t.ClientDir, client, ca.CertPEM); err != nil {
		return FunctionTLS{}, errors.Wrap(err, "cannot write Crossplane client certificate")
	}
	return t, nil
}

// newSigningKey returns a private and a public key in PEM, for service
// account tokens.
func newSigningKey() (private, public []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, errors.Wrap(err, "cannot generate service account key")
	}
	private, err = privateKeyPEM(key)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		return nil, nil, errors.Wrap(err, "cannot encode service account public key")
	}
	return private, pemBlock("PUBLIC KEY", der), nil
}

func privateKeyPEM(key *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, errors.Wrap(err, "cannot encode private key")
	}
	return pemBlock("PRIVATE KEY", der), nil
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func serialNumber() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, errors.Wrap(err, "cannot generate serial number")
	}
	return n, nil
}
