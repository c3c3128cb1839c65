// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const sigV4Algorithm = "AWS4-HMAC-SHA256"

// A sigV4Auth is the parsed Authorization header of a SigV4 request.
type sigV4Auth struct {
	accessKey     string
	date          string
	region        string
	service       string
	signedHeaders []string
	signature     string
}

// parseAuthorization parses
// "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ec2/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=...".
func parseAuthorization(h string) (sigV4Auth, bool) {
	rest, ok := strings.CutPrefix(h, sigV4Algorithm+" ")
	if !ok {
		return sigV4Auth{}, false
	}
	var a sigV4Auth
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return sigV4Auth{}, false
		}
		switch k {
		case "Credential":
			scope := strings.Split(v, "/")
			if len(scope) != 5 || scope[4] != "aws4_request" {
				return sigV4Auth{}, false
			}
			a.accessKey, a.date, a.region, a.service = scope[0], scope[1], scope[2], scope[3]
		case "SignedHeaders":
			a.signedHeaders = strings.Split(v, ";")
		case "Signature":
			a.signature = v
		}
	}
	if a.accessKey == "" || a.region == "" || a.signature == "" || len(a.signedHeaders) == 0 {
		return sigV4Auth{}, false
	}
	return a, true
}

func errAuth(msg string) *APIError {
	return &APIError{Status: http.StatusUnauthorized, Code: codeAuthFailure, Message: msg}
}

// authenticate returns the account and region of an EC2 request.
func (s *Server) authenticate(r *http.Request, body []byte) (string, string, *APIError) {
	c, region, err := s.authenticateCaller(r, body)
	return c.account, region, err
}

// authenticateCaller returns the caller and region of a request. Without a
// configured secret, an unsigned request belongs to the default access key
// and region, and long-term keys' signatures are not checked; with one,
// every request must carry a valid signature. Temporary credentials are
// always checked against the session STS issued: its token, its secret and
// its expiry on the simulated clock (RequestExpired once it passed).
func (s *Server) authenticateCaller(r *http.Request, body []byte) (caller, string, *APIError) {
	h := r.Header.Get("Authorization")
	if h == "" {
		if s.opts.SecretKey != "" {
			return caller{}, "", errAuth("AWS was not able to validate the provided access credentials")
		}
		return longTermCaller(s.opts.DefaultAccessKey), s.opts.DefaultRegion, nil
	}
	a, ok := parseAuthorization(h)
	if !ok {
		return caller{}, "", errAuth("The Authorization header is not a valid AWS Signature Version 4 header.")
	}
	if ss, ok := s.iam.session(a.accessKey); ok {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-Amz-Security-Token")), []byte(ss.token)) != 1 {
			return caller{}, "", errAuth("AWS was not able to validate the provided access credentials")
		}
		if err := verifySignature(r, body, a, ss.secret); err != nil {
			return caller{}, "", err
		}
		if !s.clock.Now().Before(ss.expires) {
			return caller{}, "", &APIError{Status: http.StatusBadRequest, Code: codeRequestExpired, Message: "Request has expired."}
		}
		return ss.caller(), a.region, nil
	}
	if strings.HasPrefix(a.accessKey, "ASIA") && s.opts.SecretKey != "" {
		return caller{}, "", errAuth("AWS was not able to validate the provided access credentials")
	}
	if s.opts.SecretKey != "" {
		if err := verifySignature(r, body, a, s.opts.SecretKey); err != nil {
			return caller{}, "", err
		}
	}
	return longTermCaller(a.accessKey), a.region, nil
}

// verifySignature signs a copy of the request, holding only the headers the
// client signed, with the configured secret and compares the signatures.
func verifySignature(r *http.Request, body []byte, a sigV4Auth, secret string) *APIError {
	if a.service != "ec2" && a.service != "sts" {
		return errAuth("Credential should be scoped to correct service: 'ec2'.")
	}
	signingTime, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return errAuth("AWS was not able to validate the provided access credentials")
	}
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	cp, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), bytes.NewReader(body)) //nolint:gosec // The copy is only signed, never sent, so it cannot forge a request.
	if err != nil {
		return errAuth("AWS was not able to validate the provided access credentials")
	}
	cp.Host = r.Host
	cp.ContentLength = 0
	for _, name := range a.signedHeaders {
		switch name {
		case "host":
		case "content-length":
			cp.ContentLength = int64(len(body))
		default:
			for _, v := range r.Header.Values(name) {
				cp.Header.Add(name, v)
			}
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: a.accessKey, SecretAccessKey: secret, SessionToken: r.Header.Get("X-Amz-Security-Token")}
	signer := v4.NewSigner()
	if err := signer.SignHTTP(r.Context(), creds, cp, hex.EncodeToString(sum[:]), a.service, a.region, signingTime); err != nil {
		return errAuth("AWS was not able to validate the provided access credentials")
	}
	want, ok := parseAuthorization(cp.Header.Get("Authorization"))
	if !ok || subtle.ConstantTimeCompare([]byte(want.signature), []byte(a.signature)) != 1 {
		return errAuth("AWS was not able to validate the provided access credentials")
	}
	return nil
}
