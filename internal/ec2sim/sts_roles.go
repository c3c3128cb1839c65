// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"crypto/rand"
	"encoding/base32"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// Session durations STS allows.
const (
	minSessionDuration     = 15 * time.Minute
	maxSessionDuration     = 12 * time.Hour
	defaultSessionDuration = time.Hour
	// maxChainedDuration caps a session assumed with the credentials of
	// another role session (role chaining).
	maxChainedDuration = time.Hour
)

// PrincipalPodIdentity is the service principal of EKS Pod Identity: a trust
// rule that names it lets the Pod Identity endpoint hand out the role.
const PrincipalPodIdentity = "pods.eks.amazonaws.com"

// A Role is an IAM role STS may hand out sessions of.
type Role struct {
	// ARN of the role, arn:aws:iam::<account>:role/<name>. Its account owns
	// the EC2 state of the role's sessions.
	ARN string `json:"arn"`

	// MaxSessionDuration is the longest session of the role; one hour when
	// zero, as in IAM.
	MaxSessionDuration Duration `json:"maxSessionDuration,omitempty"`

	// Trust says who may assume the role.
	Trust Trust `json:"trust"`
}

// A Trust is the trust policy of a Role.
type Trust struct {
	// Principals may call AssumeRole: "*", an account ID (any identity of
	// the account), the ARN of a user or of a role (its sessions), or
	// PrincipalPodIdentity.
	Principals []string `json:"principals,omitempty"`

	// ExternalID, when set, must be passed to AssumeRole.
	ExternalID string `json:"externalID,omitempty"`

	// TagSession allows session tags, passed or transitive (sts:TagSession).
	TagSession bool `json:"tagSession,omitempty"`

	// WebIdentity, when set, allows AssumeRoleWithWebIdentity.
	WebIdentity *WebIdentityTrust `json:"webIdentity,omitempty"`
}

// A WebIdentityTrust says which web identity tokens may assume a role.
type WebIdentityTrust struct {
	// Audience the token's aud claim must hold; sts.amazonaws.com when
	// empty.
	Audience string `json:"audience,omitempty"`

	// Subjects the token's sub claim may be, e.g.
	// system:serviceaccount:crossplane-system:provider; any when empty.
	Subjects []string `json:"subjects,omitempty"`
}

// A Duration is a time.Duration written in JSON as a Go duration string.
type Duration time.Duration

// MarshalJSON writes d as "1h0m0s".
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Duration(d).String() + `"`), nil
}

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	v, err := parseOptionalDuration(strings.Trim(string(b), `"`))
	*d = Duration(v)
	return err
}

// account returns the account of a role ARN, field 5 of
// arn:aws:iam::<account>:role/<name>.
func roleAccount(arn string) (string, bool) {
	f := strings.SplitN(arn, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[2] != "iam" || !isAccountID(f[4]) || !strings.HasPrefix(f[5], "role/") || len(f[5]) == len("role/") {
		return "", false
	}
	return f[4], true
}

// roleName returns the last path element of a role ARN.
func roleName(arn string) string {
	return arn[strings.LastIndex(arn, "/")+1:]
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (r Role) validate() error {
	if _, ok := roleAccount(r.ARN); !ok {
		return errors.Errorf("role %q: want an ARN like arn:aws:iam::111122223333:role/egress", r.ARN)
	}
	if d := time.Duration(r.MaxSessionDuration); d != 0 && (d < time.Hour || d > maxSessionDuration) {
		return errors.Errorf("role %s: maxSessionDuration %s is outside 1h to 12h", r.ARN, d)
	}
	return nil
}

func (r Role) maxDuration() time.Duration {
	if r.MaxSessionDuration == 0 {
		return defaultSessionDuration
	}
	return time.Duration(r.MaxSessionDuration)
}

// A caller is the identity that signed a request.
type caller struct {
	accessKey string
	// account owns the EC2 state of the caller: its 12-digit ID for a role
	// session, the access key itself for long-term keys.
	account string
	// accountID is the caller's 12-digit account ID.
	accountID string
	// arn is a user ARN for long-term keys, an assumed-role ARN for a
	// session.
	arn    string
	userID string
	// session is set for temporary credentials.
	session *session
}

// longTermCaller is the caller of long-term keys: each access key is an
// IAM user of an account of its own.
func longTermCaller(accessKey string) caller {
	id := accountID(accessKey)
	return caller{accessKey: accessKey, account: accessKey, accountID: id, arn: "arn:aws:iam::" + id + ":user/" + accessKey, userID: accessKey}
}

// A session is a set of temporary credentials of a role.
type session struct {
	accessKey, secret, token string
	role                     string
	name                     string
	account                  string
	roleID                   string
	expires                  time.Time // simulated
	// transitive are the session's transitive tags, passed on to the
	// sessions it assumes.
	transitive map[string]string
}

func (s *session) caller() caller {
	return caller{
		accessKey: s.accessKey, account: s.account, accountID: s.account,
		arn:    "arn:aws:sts::" + s.account + ":assumed-role/" + roleName(s.role) + "/" + s.name,
		userID: s.roleID + ":" + s.name, session: s,
	}
}

// RoleCalls counts the STS calls that asked for sessions of one role.
type RoleCalls struct {
	AssumeRole                int64 `json:"assumeRole,omitempty"`
	AssumeRoleWithWebIdentity int64 `json:"assumeRoleWithWebIdentity,omitempty"`
	PodIdentity               int64 `json:"podIdentity,omitempty"`
	// Denied counts the calls answered with an error.
	Denied int64 `json:"denied,omitempty"`
}

// A PodIdentityAssociation maps a service account to a role, as EKS does.
type PodIdentityAssociation struct {
	// Subject is the service account's token subject,
	// system:serviceaccount:<namespace>:<name>.
	Subject string `json:"subject"`
	// RoleARN is the role whose sessions the service account gets. Its
	// trust must name PrincipalPodIdentity.
	RoleARN string `json:"roleARN"`
}

// An iam holds the roles, sessions and Pod Identity associations of STS.
type iam struct {
	mu           sync.Mutex
	roles        map[string]Role
	sessions     map[string]*session
	associations map[string]string // subject to role ARN
	calls        map[string]*RoleCalls
}

func newIAM(roles []Role) (*iam, error) {
	i := &iam{}
	i.reset()
	for _, r := range roles {
		if err := i.put(r); err != nil {
			return nil, err
		}
	}
	return i, nil
}

func (i *iam) reset() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.roles = map[string]Role{}
	i.sessions = map[string]*session{}
	i.associations = map[string]string{}
	i.calls = map[string]*RoleCalls{}
}

func (i *iam) put(r Role) error {
	if err := r.validate(); err != nil {
		return err
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	i.roles[r.ARN] = r
	return nil
}

func (i *iam) list() []Role {
	i.mu.Lock()
	defer i.mu.Unlock()
	out := slices.Collect(maps.Values(i.roles))
	slices.SortFunc(out, func(a, b Role) int { return strings.Compare(a.ARN, b.ARN) })
	return out
}

func (i *iam) role(arn string) (Role, bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	r, ok := i.roles[arn]
	return r, ok
}

func (i *iam) session(accessKey string) (*session, bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	s, ok := i.sessions[accessKey]
	return s, ok
}

// count records a call for role; fn picks the counter.
func (i *iam) count(role string, fn func(*RoleCalls) *int64) {
	i.mu.Lock()
	defer i.mu.Unlock()
	c, ok := i.calls[role]
	if !ok {
		c = &RoleCalls{}
		i.calls[role] = c
	}
	*fn(c)++
}

func (i *iam) callsSnapshot() map[string]RoleCalls {
	i.mu.Lock()
	defer i.mu.Unlock()
	out := make(map[string]RoleCalls, len(i.calls))
	for k, v := range i.calls {
		out[k] = *v
	}
	return out
}

// expire ends every session of role (all sessions when role is empty) at
// now, as if their time had run out, and returns how many it ended.
func (i *iam) expire(role string, now time.Time) int {
	i.mu.Lock()
	defer i.mu.Unlock()
	n := 0
	for _, s := range i.sessions {
		if (role == "" || s.role == role) && s.expires.After(now) {
			s.expires = now
			n++
		}
	}
	return n
}

// issue makes a session of r.
func (i *iam) issue(r Role, name string, d time.Duration, now time.Time, transitive map[string]string) *session {
	account, _ := roleAccount(r.ARN)
	s := &session{
		accessKey: "ASIA" + randomID(16), secret: randomID(40), token: "IQoJ" + randomID(120),
		role: r.ARN, name: name, account: account, roleID: "AROA" + randomID(17),
		expires: now.Add(d), transitive: transitive,
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	i.sessions[s.accessKey] = s
	return s
}

func (i *iam) associate(as []PodIdentityAssociation) {
	i.mu.Lock()
	defer i.mu.Unlock()
	for _, a := range as {
		i.associations[a.Subject] = a.RoleARN
	}
}

func (i *iam) association(subject string) (string, bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	r, ok := i.associations[subject]
	return r, ok
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding) //nolint:gochecknoglobals // A fixed encoding.

// randomID returns n random upper-case letters and digits.
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return idEncoding.EncodeToString(b)[:n]
}

// trusts reports whether t lets c assume the role.
func (t Trust) trusts(c caller) bool {
	for _, p := range t.Principals {
		switch {
		case p == "*", p == c.accountID, p == c.arn:
			return true
		case c.session != nil && p == c.session.role:
			return true
		}
	}
	return false
}
