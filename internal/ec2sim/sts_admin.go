// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// Admin API paths of STS and the Pod Identity endpoint.
const (
	PathRoles                  = AdminPrefix + "sts/roles"
	PathPodIdentityAssociation = AdminPrefix + "sts/podidentity"
	PathExpireSessions         = AdminPrefix + "sts/expire"
	PathSTSCalls               = AdminPrefix + "sts/calls"

	// PathPodIdentityCredentials answers as the EKS Pod Identity agent
	// does: point AWS_CONTAINER_CREDENTIALS_FULL_URI at it, on loopback.
	PathPodIdentityCredentials = AdminPrefix + "podidentity/v1/credentials"
)

// STSAdmin operates the simulator's STS out of band. *Server implements it
// directly and *AdminClient over HTTP.
type STSAdmin interface {
	// PutRoles declares roles, replacing those of the same ARN.
	PutRoles(ctx context.Context, roles []Role) error
	// Roles lists the declared roles.
	Roles(ctx context.Context) ([]Role, error)
	// AssociatePodIdentity maps service accounts to roles.
	AssociatePodIdentity(ctx context.Context, as []PodIdentityAssociation) error
	// ExpireSessions ends the sessions of a role (of every role when empty)
	// now, and returns how many it ended.
	ExpireSessions(ctx context.Context, roleARN string) (int, error)
	// STSCalls counts STS calls by role.
	STSCalls(ctx context.Context) (map[string]RoleCalls, error)
}

var (
	_ STSAdmin = (*Server)(nil)
	_ STSAdmin = (*AdminClient)(nil)
)

type expireRequest struct {
	RoleARN string `json:"roleARN,omitempty"`
}

type expireResponse struct {
	Expired int `json:"expired"`
}

// PutRoles implements STSAdmin.
func (s *Server) PutRoles(_ context.Context, roles []Role) error {
	for _, r := range roles {
		if err := r.validate(); err != nil {
			return err
		}
	}
	for _, r := range roles {
		_ = s.iam.put(r) // validated above
	}
	return nil
}

// Roles implements STSAdmin.
func (s *Server) Roles(_ context.Context) ([]Role, error) { return s.iam.list(), nil }

// AssociatePodIdentity implements STSAdmin.
func (s *Server) AssociatePodIdentity(_ context.Context, as []PodIdentityAssociation) error {
	s.iam.associate(as)
	return nil
}

// ExpireSessions implements STSAdmin.
func (s *Server) ExpireSessions(_ context.Context, roleARN string) (int, error) {
	return s.iam.expire(roleARN, s.clock.Now()), nil
}

// STSCalls implements STSAdmin.
func (s *Server) STSCalls(_ context.Context) (map[string]RoleCalls, error) {
	return s.iam.callsSnapshot(), nil
}

// resetIAM forgets sessions, associations and calls, and declares the roles
// of the options again.
func (s *Server) resetIAM(ctx context.Context) error {
	s.iam.reset()
	return s.PutRoles(ctx, s.opts.Roles)
}

func (s *Server) stsAdminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+PathRoles, func(w http.ResponseWriter, r *http.Request) {
		rs, err := s.Roles(r.Context())
		respond(w, rs, err)
	})
	mux.HandleFunc("PUT "+PathRoles, func(w http.ResponseWriter, r *http.Request) {
		var rs []Role
		if readJSON(w, r, &rs, false) {
			respond(w, map[string]int{"roles": len(rs)}, s.PutRoles(r.Context(), rs))
		}
	})
	mux.HandleFunc("PUT "+PathPodIdentityAssociation, func(w http.ResponseWriter, r *http.Request) {
		var as []PodIdentityAssociation
		if readJSON(w, r, &as, false) {
			respond(w, map[string]int{"associations": len(as)}, s.AssociatePodIdentity(r.Context(), as))
		}
	})
	mux.HandleFunc("POST "+PathExpireSessions, func(w http.ResponseWriter, r *http.Request) {
		var req expireRequest
		if readJSON(w, r, &req, true) {
			n, err := s.ExpireSessions(r.Context(), req.RoleARN)
			respond(w, expireResponse{Expired: n}, err)
		}
	})
	mux.HandleFunc("GET "+PathSTSCalls, func(w http.ResponseWriter, r *http.Request) {
		c, err := s.STSCalls(r.Context())
		respond(w, c, err)
	})
	mux.HandleFunc("GET "+PathPodIdentityCredentials, s.servePodIdentity)
}

// podIdentityCredentials is the JSON answer of the EKS Pod Identity agent.
type podIdentityCredentials struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	Token           string `json:"Token"`
	AccountID       string `json:"AccountId"`
	Expiration      string `json:"Expiration"`
}

// Session tags EKS Pod Identity adds, transitive, to every session.
const (
	tagPodNamespace      = "kubernetes-namespace"
	tagPodServiceAccount = "kubernetes-service-account"
)

// podIdentitySessionDuration is how long Pod Identity sessions last.
const podIdentitySessionDuration = 6 * time.Hour

// servePodIdentity answers as the Pod Identity agent: the Authorization
// header carries the pod's service account token (audience
// pods.eks.amazonaws.com), whose subject an association maps to a role.
// Errors are plain text, as the agent's.
func (s *Server) servePodIdentity(w http.ResponseWriter, r *http.Request) {
	claims, ok := parseToken(r.Header.Get("Authorization"))
	if !ok || !claims.hasAudience(PodIdentityAudience) {
		http.Error(w, "Service account token cannot be empty or is not valid for audience "+PodIdentityAudience, http.StatusBadRequest)
		return
	}
	if !claims.Expiry.After(s.clock.Now()) {
		http.Error(w, "Service account token has expired", http.StatusUnauthorized)
		return
	}
	arn, ok := s.iam.association(claims.Subject)
	if !ok {
		http.Error(w, "No Pod Identity association for "+claims.Subject, http.StatusNotFound)
		return
	}
	role, ok := s.iam.role(arn)
	if !ok || !contains(role.Trust.Principals, PrincipalPodIdentity) {
		s.iam.count(arn, func(rc *RoleCalls) *int64 { return &rc.Denied })
		http.Error(w, "The role "+arn+" does not trust "+PrincipalPodIdentity, http.StatusForbidden)
		return
	}
	// system:serviceaccount:<namespace>:<name>
	f := strings.SplitN(claims.Subject, ":", 4)
	tags := map[string]string{}
	if len(f) == 4 {
		tags[tagPodNamespace], tags[tagPodServiceAccount] = f[2], f[3]
	}
	s.iam.count(arn, func(rc *RoleCalls) *int64 { return &rc.PodIdentity })
	ss := s.iam.issue(role, "eks-pod-identity-"+randomID(8), podIdentitySessionDuration, s.clock.Now(), tags)
	writeJSON(w, http.StatusOK, podIdentityCredentials{
		AccessKeyID: ss.accessKey, SecretAccessKey: ss.secret, Token: ss.token, AccountID: ss.account,
		Expiration: s.clock.wallOf(ss.expires).UTC().Format(time.RFC3339Nano),
	})
}

// PutRoles implements STSAdmin.
func (c *AdminClient) PutRoles(ctx context.Context, roles []Role) error {
	return c.do(ctx, http.MethodPut, PathRoles, roles, nil)
}

// Roles implements STSAdmin.
func (c *AdminClient) Roles(ctx context.Context) ([]Role, error) {
	var out []Role
	err := c.do(ctx, http.MethodGet, PathRoles, nil, &out)
	return out, err
}

// AssociatePodIdentity implements STSAdmin.
func (c *AdminClient) AssociatePodIdentity(ctx context.Context, as []PodIdentityAssociation) error {
	return c.do(ctx, http.MethodPut, PathPodIdentityAssociation, as, nil)
}

// ExpireSessions implements STSAdmin.
func (c *AdminClient) ExpireSessions(ctx context.Context, roleARN string) (int, error) {
	var out expireResponse
	err := c.do(ctx, http.MethodPost, PathExpireSessions, expireRequest{RoleARN: roleARN}, &out)
	return out.Expired, err
}

// STSCalls implements STSAdmin.
func (c *AdminClient) STSCalls(ctx context.Context) (map[string]RoleCalls, error) {
	var out map[string]RoleCalls
	err := c.do(ctx, http.MethodGet, PathSTSCalls, nil, &out)
	return out, err
}
