// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// STSAPIVersion is the only STS API version the simulator speaks.
const STSAPIVersion = "2011-06-15"

// STSNamespace is the XML namespace of STS responses.
const STSNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// STS error codes.
const (
	codeAccessDenied          = "AccessDenied"
	codeExpiredToken          = "ExpiredToken"
	codeExpiredTokenException = "ExpiredTokenException"
	codeInvalidIdentityToken  = "InvalidIdentityToken"
	codeInvalidClientTokenID  = "InvalidClientTokenId"
	codeValidationError       = "ValidationError"
	codeRequestExpired        = "RequestExpired"
)

type stsHandler func(s *Server, c caller, v url.Values) (any, *APIError)

var stsHandlers = map[string]stsHandler{ //nolint:gochecknoglobals // A fixed dispatch table, read only.
	"GetCallerIdentity":         getCallerIdentity,
	"AssumeRole":                assumeRole,
	"AssumeRoleWithWebIdentity": assumeRoleWithWebIdentity,
}

// unsignedSTSActions are sent without a signature by the SDKs.
var unsignedSTSActions = map[string]bool{"AssumeRoleWithWebIdentity": true} //nolint:gochecknoglobals // A fixed set, read only.

// stsAction returns the STS action of a request, if it is one: EC2 has no
// action of these names.
func stsAction(v url.Values) (string, bool) {
	a := v.Get("Action")
	_, ok := stsHandlers[a]
	return a, ok
}

func stsError(status int, code, format string, a ...any) *APIError {
	return &APIError{Status: status, Code: code, Message: fmt.Sprintf(format, a...)}
}

// serveSTS answers one STS request.
func (s *Server) serveSTS(w http.ResponseWriter, r *http.Request, body []byte, action string, v url.Values, requestID string) {
	s.calls.call(action)
	fail := func(e *APIError) {
		s.calls.failed(action, e.Code, false, false)
		writeSTSError(w, requestID, e)
	}
	if ver := v.Get("Version"); ver != STSAPIVersion {
		fail(stsError(http.StatusBadRequest, codeInvalidAction, "Could not find operation %s for version %s", action, ver))
		return
	}
	var c caller
	if !unsignedSTSActions[action] || r.Header.Get("Authorization") != "" {
		var aerr *APIError
		if c, aerr = s.authenticateSTS(r, body); aerr != nil {
			fail(aerr)
			return
		}
	}
	out, aerr := stsHandlers[action](s, c, v)
	if aerr != nil {
		fail(aerr)
		return
	}
	b, err := encodeSTS(action, out, requestID)
	if err != nil {
		fail(errInternal("cannot encode the response: " + err.Error()))
		return
	}
	writeXML(w, http.StatusOK, requestID, b)
}

// authenticateSTS maps EC2's authentication errors to STS's.
func (s *Server) authenticateSTS(r *http.Request, body []byte) (caller, *APIError) {
	c, _, aerr := s.authenticateCaller(r, body)
	if aerr == nil {
		return c, nil
	}
	switch aerr.Code {
	case codeRequestExpired:
		return caller{}, stsError(http.StatusForbidden, codeExpiredToken, "The security token included in the request is expired")
	case codeAuthFailure:
		return caller{}, stsError(http.StatusForbidden, "SignatureDoesNotMatch", "%s", aerr.Message)
	}
	return caller{}, aerr
}

type stsResponse struct {
	XMLName   xml.Name
	Xmlns     string `xml:"xmlns,attr"`
	Result    any    `xml:"Result"`
	RequestID string `xml:"ResponseMetadata>RequestId"`
}

func encodeSTS(action string, result any, requestID string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	out, err := xml.Marshal(stsResponse{ //nolint:musttag // XMLName names the element; the result names its own.
		XMLName: xml.Name{Local: action + "Response"}, Xmlns: STSNamespace, Result: result, RequestID: requestID})
	if err != nil {
		return nil, err
	}
	b.Write(out)
	return b.Bytes(), nil
}

type stsErrorEnvelope struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

func writeSTSError(w http.ResponseWriter, requestID string, e *APIError) {
	t := "Sender"
	if e.Status >= http.StatusInternalServerError {
		t = "Receiver"
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	out, _ := xml.Marshal(stsErrorEnvelope{Xmlns: STSNamespace, Type: t, Code: e.Code, Message: e.Message, RequestID: requestID})
	b.Write(out)
	writeXML(w, e.Status, requestID, b.Bytes())
}

type callerIdentityResult struct {
	XMLName xml.Name `xml:"GetCallerIdentityResult"`
	UserID  string   `xml:"UserId"`
	Account string   `xml:"Account"`
	Arn     string   `xml:"Arn"`
}

func getCallerIdentity(_ *Server, c caller, _ url.Values) (any, *APIError) {
	return callerIdentityResult{UserID: c.userID, Account: c.accountID, Arn: c.arn}, nil
}

type credentialsXML struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

type assumedRoleUserXML struct {
	AssumedRoleID string `xml:"AssumedRoleId"`
	Arn           string `xml:"Arn"`
}

type assumeRoleResult struct {
	XMLName          xml.Name
	Credentials      credentialsXML     `xml:"Credentials"`
	AssumedRoleUser  assumedRoleUserXML `xml:"AssumedRoleUser"`
	PackedPolicySize *int               `xml:"PackedPolicySize,omitempty"`
	Subject          string             `xml:"SubjectFromWebIdentityToken,omitempty"`
	Audience         string             `xml:"Audience,omitempty"`
	Provider         string             `xml:"Provider,omitempty"`
}

func (s *Server) sessionResult(action string, ss *session) assumeRoleResult {
	c := ss.caller()
	return assumeRoleResult{
		XMLName: xml.Name{Local: action + "Result"},
		Credentials: credentialsXML{
			AccessKeyID: ss.accessKey, SecretAccessKey: ss.secret, SessionToken: ss.token,
			Expiration: s.clock.wallOf(ss.expires).UTC().Format(time.RFC3339),
		},
		AssumedRoleUser: assumedRoleUserXML{AssumedRoleID: c.userID, Arn: c.arn},
	}
}

var sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
var externalIDPattern = regexp.MustCompile(`^[\w+=,.@:/-]+$`)

// sessionRequest holds the parameters AssumeRole and
// AssumeRoleWithWebIdentity share.
type sessionRequest struct {
	role     Role
	name     string
	duration time.Duration
}

// readSessionRequest validates RoleArn, RoleSessionName and DurationSeconds.
// An unknown role is AccessDenied, as STS cannot tell it from a denial.
func (s *Server) readSessionRequest(action string, c caller, v url.Values) (sessionRequest, *APIError) {
	arn := v.Get("RoleArn")
	if len(arn) < 20 {
		return sessionRequest{}, stsError(http.StatusBadRequest, codeValidationError, "1 validation error detected: Value '%s' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20", arn)
	}
	name := v.Get("RoleSessionName")
	if !sessionNamePattern.MatchString(name) {
		return sessionRequest{}, stsError(http.StatusBadRequest, codeValidationError, "1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length 2 to 64", name)
	}
	d := defaultSessionDuration
	if ds := v.Get("DurationSeconds"); ds != "" {
		n, err := strconv.Atoi(ds)
		if err != nil || n < int(minSessionDuration/time.Second) || n > int(maxSessionDuration/time.Second) {
			return sessionRequest{}, stsError(http.StatusBadRequest, codeValidationError, "1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200", ds)
		}
		d = time.Duration(n) * time.Second
	}
	role, ok := s.iam.role(arn)
	if !ok {
		who := c.arn
		if who == "" {
			who = "anonymous"
		}
		return sessionRequest{}, stsError(http.StatusForbidden, codeAccessDenied, "User: %s is not authorized to perform: sts:%s on resource: %s", who, action, arn)
	}
	if d > role.maxDuration() {
		return sessionRequest{}, stsError(http.StatusBadRequest, codeValidationError, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	return sessionRequest{role: role, name: name, duration: d}, nil
}

// sessionTags reads Tags.member.N and TransitiveTagKeys.member.N, and
// returns the transitive tags of the new session.
func sessionTags(c caller, v url.Values) (tags, transitive map[string]string, _ *APIError) {
	tags = map[string]string{}
	for n := 1; ; n++ {
		k := v.Get(fmt.Sprintf("Tags.member.%d.Key", n))
		if k == "" {
			break
		}
		tags[k] = v.Get(fmt.Sprintf("Tags.member.%d.Value", n))
	}
	transitive = map[string]string{}
	if c.session != nil {
		maps.Copy(transitive, c.session.transitive)
	}
	for n := 1; ; n++ {
		k := v.Get(fmt.Sprintf("TransitiveTagKeys.member.%d", n))
		if k == "" {
			break
		}
		val, ok := tags[k]
		if !ok {
			return nil, nil, stsError(http.StatusBadRequest, codeInvalidParameterValue, "The specified transitive tag key must be included in the requested tags.")
		}
		transitive[k] = val
	}
	return tags, transitive, nil
}

func assumeRole(s *Server, c caller, v url.Values) (any, *APIError) {
	const action = "AssumeRole"
	req, aerr := s.readSessionRequest(action, c, v)
	if aerr != nil {
		s.iam.count(v.Get("RoleArn"), func(rc *RoleCalls) *int64 { return &rc.Denied })
		return nil, aerr
	}
	denied := func(perm string) *APIError {
		s.iam.count(req.role.ARN, func(rc *RoleCalls) *int64 { return &rc.Denied })
		return stsError(http.StatusForbidden, codeAccessDenied, "User: %s is not authorized to perform: %s on resource: %s", c.arn, perm, req.role.ARN)
	}
	t := req.role.Trust
	if !t.trusts(c) {
		return nil, denied("sts:AssumeRole")
	}
	ext := v.Get("ExternalId")
	if ext != "" && (len(ext) < 2 || len(ext) > 1224 || !externalIDPattern.MatchString(ext)) {
		return nil, stsError(http.StatusBadRequest, codeValidationError, "1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*")
	}
	if t.ExternalID != "" && ext != t.ExternalID {
		return nil, denied("sts:AssumeRole")
	}
	tags, transitive, aerr := sessionTags(c, v)
	if aerr != nil {
		return nil, aerr
	}
	if (len(tags) > 0 || len(transitive) > 0) && !t.TagSession {
		return nil, denied("sts:TagSession")
	}
	if c.session != nil && req.duration > maxChainedDuration {
		return nil, stsError(http.StatusBadRequest, codeValidationError, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	s.iam.count(req.role.ARN, func(rc *RoleCalls) *int64 { return &rc.AssumeRole })
	ss := s.iam.issue(req.role, req.name, req.duration, s.clock.Now(), transitive)
	out := s.sessionResult(action, ss)
	size := 6 + len(tags)
	out.PackedPolicySize = &size
	return out, nil
}

func assumeRoleWithWebIdentity(s *Server, c caller, v url.Values) (any, *APIError) {
	const action = "AssumeRoleWithWebIdentity"
	req, aerr := s.readSessionRequest(action, c, v)
	if aerr != nil {
		s.iam.count(v.Get("RoleArn"), func(rc *RoleCalls) *int64 { return &rc.Denied })
		return nil, aerr
	}
	deny := func(e *APIError) (any, *APIError) {
		s.iam.count(req.role.ARN, func(rc *RoleCalls) *int64 { return &rc.Denied })
		return nil, e
	}
	claims, ok := parseToken(v.Get("WebIdentityToken"))
	if !ok {
		return deny(stsError(http.StatusBadRequest, codeInvalidIdentityToken, "The web identity token is not a valid JWT with sub, aud and exp claims."))
	}
	if !claims.Expiry.After(s.clock.Now()) {
		return deny(stsError(http.StatusBadRequest, codeExpiredTokenException, "Token expired: current date/time %s must be before the expiration date/time %s", s.clock.Now().UTC().Format(time.RFC3339), claims.Expiry.UTC().Format(time.RFC3339)))
	}
	wi := req.role.Trust.WebIdentity
	if wi == nil {
		return deny(stsError(http.StatusForbidden, codeAccessDenied, "Not authorized to perform sts:AssumeRoleWithWebIdentity"))
	}
	aud := wi.Audience
	if aud == "" {
		aud = DefaultWebIdentityAudience
	}
	if !claims.hasAudience(aud) {
		return deny(stsError(http.StatusBadRequest, codeInvalidIdentityToken, "Incorrect token audience"))
	}
	if len(wi.Subjects) > 0 && !contains(wi.Subjects, claims.Subject) {
		return deny(stsError(http.StatusForbidden, codeAccessDenied, "Not authorized to perform sts:AssumeRoleWithWebIdentity"))
	}
	s.iam.count(req.role.ARN, func(rc *RoleCalls) *int64 { return &rc.AssumeRoleWithWebIdentity })
	ss := s.iam.issue(req.role, req.name, req.duration, s.clock.Now(), nil)
	out := s.sessionResult(action, ss)
	out.Subject, out.Audience, out.Provider = claims.Subject, aud, claims.Issuer
	return out, nil
}

func contains(ss []string, s string) bool {
	return slices.Contains(ss, s)
}
