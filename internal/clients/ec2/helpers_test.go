// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/utils/clock"
	testingclock "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	ec2v1alpha1 "github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

var errBoom = errors.New("boom")

// Credentials used by the fixtures. Tests check that none of the secret
// parts ever shows up in an error.
const (
	testAccessKeyID     = "AKIAEGRESSKITTEST01"
	testSecretAccessKey = "s3cr3t/EgressKitTestSecretAccessKey+01"
	testSessionToken    = "EgressKitTestSessionToken01"
)

func profile(id, secret, token string) []byte {
	s := "[default]\n"
	if id != "" {
		s += "aws_access_key_id = " + id + "\n"
	}
	if secret != "" {
		s += "aws_secret_access_key = " + secret + "\n"
	}
	if token != "" {
		s += "aws_session_token = " + token + "\n"
	}
	return []byte(s)
}

func natGateway(m ...func(*ec2v1alpha1.NATGateway)) *ec2v1alpha1.NATGateway {
	gw := &ec2v1alpha1.NATGateway{ObjectMeta: metav1.ObjectMeta{Namespace: "team", Name: "egress", UID: "0b7e5d8c-uid"}}
	gw.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: apisv1alpha1.ProviderConfigKind, Name: "aws"}
	for _, f := range m {
		f(gw)
	}
	return gw
}

func withConfigRef(kind, name string) func(*ec2v1alpha1.NATGateway) {
	return func(gw *ec2v1alpha1.NATGateway) {
		gw.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: kind, Name: name}
	}
}

func withName(name string) func(*ec2v1alpha1.NATGateway) {
	return func(gw *ec2v1alpha1.NATGateway) { gw.SetName(name) }
}

func providerConfig(m ...func(*apisv1alpha1.ProviderConfig)) *apisv1alpha1.ProviderConfig {
	pc := &apisv1alpha1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Namespace: "team", Name: "aws", ResourceVersion: "1"}}
	pc.Spec.Credentials = apisv1alpha1.ProviderCredentials{
		Source:    apisv1alpha1.CredentialsSourceSecret,
		SecretRef: &xpv2.LocalSecretKeySelector{LocalSecretReference: xpv2.LocalSecretReference{Name: "aws-creds"}, Key: "credentials"},
	}
	for _, f := range m {
		f(pc)
	}
	return pc
}

func pcSource(s apisv1alpha1.CredentialsSource) func(*apisv1alpha1.ProviderConfig) {
	return func(pc *apisv1alpha1.ProviderConfig) {
		pc.Spec.Credentials.Source = s
		if s != apisv1alpha1.CredentialsSourceSecret {
			pc.Spec.Credentials.SecretRef = nil
		}
	}
}

func pcEndpoint(u string) func(*apisv1alpha1.ProviderConfig) {
	return func(pc *apisv1alpha1.ProviderConfig) { pc.Spec.Endpoint = &apisv1alpha1.Endpoint{URL: u} }
}

func pcVersion(v string) func(*apisv1alpha1.ProviderConfig) {
	return func(pc *apisv1alpha1.ProviderConfig) {
		pc.SetResourceVersion(v)
		pc.SetGeneration(int64(len(v)) + int64(v[0]))
	}
}

// pcGeneration sets the generation of a ProviderConfig's spec.
func pcGeneration(g int64) func(*apisv1alpha1.ProviderConfig) {
	return func(pc *apisv1alpha1.ProviderConfig) { pc.SetGeneration(g) }
}

func clusterProviderConfig(m ...func(*apisv1alpha1.ClusterProviderConfig)) *apisv1alpha1.ClusterProviderConfig {
	pc := &apisv1alpha1.ClusterProviderConfig{ObjectMeta: metav1.ObjectMeta{Name: "default", ResourceVersion: "7"}}
	pc.Spec.Credentials = apisv1alpha1.ClusterProviderCredentials{
		Source: apisv1alpha1.CredentialsSourceSecret,
		SecretRef: &xpv2.SecretKeySelector{
			SecretReference: xpv2.SecretReference{Namespace: "crossplane-system", Name: "aws-creds"},
			Key:             "credentials",
		},
	}
	for _, f := range m {
		f(pc)
	}
	return pc
}

func cpcCredentials(c apisv1alpha1.ClusterProviderCredentials) func(*apisv1alpha1.ClusterProviderConfig) {
	return func(pc *apisv1alpha1.ClusterProviderConfig) { pc.Spec.Credentials = c }
}

func cpcEndpoint(u string) func(*apisv1alpha1.ClusterProviderConfig) {
	return func(pc *apisv1alpha1.ClusterProviderConfig) { pc.Spec.Endpoint = &apisv1alpha1.Endpoint{URL: u} }
}

func secret(namespace, name, version string, data map[string][]byte) *corev1.Secret {
	return &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name, ResourceVersion: version}, Data: data}
}

func credentialsSecret(version string) *corev1.Secret {
	return secret("team", "aws-creds", version, map[string][]byte{"credentials": profile(testAccessKeyID, testSecretAccessKey, testSessionToken)})
}

// kube is a fake API server reader: Get answers with a copy of the stored
// object of the same Go type and key, or NotFound.
type kube struct {
	mu   sync.Mutex
	objs []client.Object
	gets int
	// statuses are the status writes, in order.
	statuses []client.Object
}

func newKube(objs ...client.Object) *kube { return &kube{objs: objs} }

// put replaces the stored object of the same type and key, or adds obj.
func (k *kube) put(obj client.Object) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for i, o := range k.objs {
		if reflect.TypeOf(o) == reflect.TypeOf(obj) && client.ObjectKeyFromObject(o) == client.ObjectKeyFromObject(obj) {
			k.objs[i] = obj
			return
		}
	}
	k.objs = append(k.objs, obj)
}

func (k *kube) get(_ context.Context, key client.ObjectKey, obj client.Object) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.gets++
	for _, o := range k.objs {
		if reflect.TypeOf(o) == reflect.TypeOf(obj) && client.ObjectKeyFromObject(o) == key {
			reflect.ValueOf(obj).Elem().Set(reflect.ValueOf(o.DeepCopyObject()).Elem())
			return nil
		}
	}
	return kerrors.NewNotFound(schema.GroupResource{Resource: strings.ToLower(reflect.TypeOf(obj).Elem().Name()) + "s"}, key.Name)
}

func (k *kube) client() *test.MockClient {
	return &test.MockClient{MockGet: k.get, MockStatusUpdate: k.updateStatus}
}

func (k *kube) updateStatus(_ context.Context, obj client.Object, _ ...client.SubResourceUpdateOption) error {
	o := obj.DeepCopyObject().(client.Object)
	k.put(o)
	k.mu.Lock()
	defer k.mu.Unlock()
	k.statuses = append(k.statuses, o)
	return nil
}

// failingGet answers every Get with errBoom.
func failingGet() *test.MockClient {
	return &test.MockClient{MockGet: test.NewMockGetFn(errBoom)}
}

// isolateAWSEnv keeps the SDK's default chain away from the files and
// variables of the machine running the test.
func isolateAWSEnv(tb testing.TB) {
	tb.Helper()
	dir := tb.TempDir()
	tb.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	tb.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	tb.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for _, v := range []string{
		"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_STS",
		"AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CA_BUNDLE", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE",
	} {
		tb.Setenv(v, "")
	}
}

// describeNatGatewaysBody is an EC2 DescribeNatGateways answer with one
// available gateway.
const describeNatGatewaysBody = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeNatGatewaysResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
    <natGatewaySet>
        <item>
            <createTime>2026-11-26T12:26:55.983Z</createTime>
            <natGatewayId>nat-0a1b2c3d4e5f60001</natGatewayId>
            <state>available</state>
            <subnetId>subnet-0a1b2c3d4e5f60001</subnetId>
            <vpcId>vpc-0a1b2c3d4e5f60001</vpcId>
            <connectivityType>public</connectivityType>
        </item>
    </natGatewaySet>
</DescribeNatGatewaysResponse>`

const assumeRoleWithWebIdentityBody = `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <AccessKeyId>ASIAEGRESSKITWEB01</AccessKeyId>
      <SecretAccessKey>EgressKitWebIdentitySecret01</SecretAccessKey>
      <SessionToken>EgressKitWebIdentityToken01</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/egress/session</Arn>
      <AssumedRoleId>AROAEGRESSKIT:session</AssumedRoleId>
    </AssumedRoleUser>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`

func ec2ErrorBody(code string) string {
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>%s</Code><Message>%s happened</Message></Error></Errors><RequestID>578dc5b2-d2b1-4906-8bd0-650a6826e2fc</RequestID></Response>`, code, code)
}

// A request is what the fake endpoint saw of one request.
type request struct {
	Action string

	// Credential is the access key ID and scope of the signature, without
	// the date: "AKIA.../eu-west-1/ec2/aws4_request"; empty when unsigned.
	Credential string

	// SessionToken is the X-Amz-Security-Token header.
	SessionToken string

	// Form holds selected form values.
	Form map[string]string
}

// endpoint is a fake EC2 and STS endpoint. It records requests and answers
// each with the next of its scripted responses for the action, repeating
// the last one.
type endpoint struct {
	mu        sync.Mutex
	requests  []request
	responses map[string][]response
}

type response struct {
	status int
	body   string
}

func newEndpoint() *endpoint {
	return &endpoint{responses: map[string][]response{
		"DescribeNatGateways":       {{status: http.StatusOK, body: describeNatGatewaysBody}},
		"AssumeRoleWithWebIdentity": {{status: http.StatusOK, body: assumeRoleWithWebIdentityBody}},
	}}
}

func (e *endpoint) script(action string, rs ...response) *endpoint {
	e.responses[action] = rs
	return e
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req := request{Action: r.PostForm.Get("Action"), SessionToken: r.Header.Get("X-Amz-Security-Token"), Form: map[string]string{}}
	if a := r.Header.Get("Authorization"); a != "" {
		req.Credential = credentialScope(a)
	}
	for _, k := range []string{"RoleArn", "RoleSessionName", "WebIdentityToken"} {
		if v := r.PostForm.Get(k); v != "" {
			req.Form[k] = v
		}
	}
	e.mu.Lock()
	e.requests = append(e.requests, req)
	rs := e.responses[req.Action]
	var rsp response
	switch len(rs) {
	case 0:
		rsp = response{status: http.StatusBadRequest, body: ec2ErrorBody("InvalidAction")}
	case 1:
		rsp = rs[0]
	default:
		rsp = rs[0]
		e.responses[req.Action] = rs[1:]
	}
	e.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(rsp.status)
	_, _ = w.Write([]byte(rsp.body))
}

func (e *endpoint) seen() []request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]request(nil), e.requests...)
}

// credentialScope returns the Credential of a SigV4 Authorization header
// without its date.
func credentialScope(auth string) string {
	_, rest, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return "unparsable"
	}
	cred, _, _ := strings.Cut(rest, ",")
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return "unparsable"
	}
	return strings.Join([]string{parts[0], parts[2], parts[3], parts[4]}, "/")
}

// fakeClock advances only when something waits on it, by the wait, and
// records the waits.
type fakeClock struct {
	*testingclock.FakeClock

	mu     sync.Mutex
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{FakeClock: testingclock.NewFakeClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))}
}

// NewTimer returns a timer of d that has fired: the clock moved on by d.
func (c *fakeClock) NewTimer(d time.Duration) clock.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	t := c.FakeClock.NewTimer(d)
	c.Step(d)
	return t
}

func (c *fakeClock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// pathRecorder records the path of each request before passing it on.
type pathRecorder struct {
	mu    sync.Mutex
	paths []string
	next  http.Handler
}

func (p *pathRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.paths = append(p.paths, r.URL.Path)
	p.mu.Unlock()
	p.next.ServeHTTP(w, r)
}

func (p *pathRecorder) seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.paths...)
}
