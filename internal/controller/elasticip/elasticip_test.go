// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/prometheus/client_golang/prometheus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	ktypes "k8s.io/apimachinery/pkg/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
	"github.com/egresskit/provider-aws-egress/internal/controller/controllertest"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
)

var errBoom = errors.New("boom")

const (
	region     = "us-east-1"
	uid        = ktypes.UID("0d6a4b1e-4f1c-4a8e-9d55-1f0e7c1b2a01")
	otherUID   = "6f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e1f"
	allocOld   = "eipalloc-0a1b2c3d4e5f60001"
	allocNew   = "eipalloc-0a1b2c3d4e5f60002"
	allocOther = "eipalloc-0a1b2c3d4e5f60003"
	publicIP   = "203.0.113.10"
	eni        = "eni-0a1b2c3d4e5f60001"
	assocID    = "eipassoc-0a1b2c3d4e5f60001"
)

// t0 is the time the tests' clock reads.
var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// sdkOpts compare AWS SDK values, which carry unexported fields.
var sdkOpts = cmpopts.IgnoreUnexported(
	ec2.AllocateAddressInput{}, ec2.DescribeAddressesInput{}, ec2.ReleaseAddressInput{},
	ec2.CreateTagsInput{}, ec2.DeleteTagsInput{},
	types.TagSpecification{}, types.Tag{}, types.Filter{},
)

func elasticIP(m ...func(*v1alpha1.ElasticIP)) *v1alpha1.ElasticIP {
	cr := &v1alpha1.ElasticIP{ObjectMeta: metav1.ObjectMeta{Name: "egress-a", Namespace: "default", UID: uid}}
	cr.Spec.ForProvider.Region = region
	for _, f := range m {
		f(cr)
	}
	return cr
}

func withExternalName(id string) func(*v1alpha1.ElasticIP) {
	return func(cr *v1alpha1.ElasticIP) { meta.SetExternalName(cr, id) }
}

func withTags(t map[string]string) func(*v1alpha1.ElasticIP) {
	return func(cr *v1alpha1.ElasticIP) { cr.Spec.ForProvider.Tags = t }
}

func withAtProvider(o v1alpha1.ElasticIPObservation) func(*v1alpha1.ElasticIP) {
	return func(cr *v1alpha1.ElasticIP) { cr.Status.AtProvider = o }
}

func withConditions(c ...xpv2.Condition) func(*v1alpha1.ElasticIP) {
	return func(cr *v1alpha1.ElasticIP) { cr.SetConditions(c...) }
}

func withDeletionTimestamp() func(*v1alpha1.ElasticIP) {
	return func(cr *v1alpha1.ElasticIP) {
		now := metav1.NewTime(t0)
		cr.SetDeletionTimestamp(&now)
	}
}

func withAnnotations(a map[string]string) func(*v1alpha1.ElasticIP) {
	return func(cr *v1alpha1.ElasticIP) { meta.AddAnnotations(cr, a) }
}

// withCreatedAt records that the reconciler created the address at t.
func withCreatedAt(t time.Time) func(*v1alpha1.ElasticIP) {
	return withAnnotations(map[string]string{meta.AnnotationKeyExternalCreateSucceeded: t.Format(time.RFC3339)})
}

func withSpec(p v1alpha1.ElasticIPParameters) func(*v1alpha1.ElasticIP) {
	return func(cr *v1alpha1.ElasticIP) { cr.Spec.ForProvider = p }
}

// ownedTags are the tags an address made for elasticIP() carries, plus user.
func ownedTags(user map[string]string) map[string]string {
	return ec2client.DesiredTags(elasticIP(), user)
}

// address is an EC2 address as DescribeAddresses returns it.
func address(id string, m ...func(*types.Address)) types.Address {
	a := types.Address{
		AllocationId:       aws.String(id),
		PublicIp:           aws.String(publicIP),
		Domain:             types.DomainTypeVpc,
		PublicIpv4Pool:     aws.String("amazon"),
		NetworkBorderGroup: aws.String(region),
		Tags:               ec2client.Tags(ownedTags(nil)),
	}
	for _, f := range m {
		f(&a)
	}
	return a
}

func withAssociation(a *types.Address) {
	a.AssociationId = aws.String(assocID)
	a.NetworkInterfaceId = aws.String(eni)
	a.PrivateIpAddress = aws.String("10.0.1.10")
}

func withAddressTags(t map[string]string) func(*types.Address) {
	return func(a *types.Address) { a.Tags = ec2client.Tags(t) }
}

// apiError is an EC2 error with code.
func apiError(code string) error {
	return &smithy.GenericAPIError{Code: code, Message: code}
}

// recorder records events.
type recorder struct{ events []event.Event }

func (r *recorder) Event(_ runtime.Object, e event.Event) { r.events = append(r.events, e) }

func (r *recorder) WithAnnotations(_ ...string) event.Recorder { return r }

func newExternal(api ec2client.API, r event.Recorder, c prometheus.Counter) *external {
	return &external{client: api, record: r, reallocations: c, now: func() time.Time { return t0 }}
}

func TestConnect(t *testing.T) {
	api := &fake.EC2{}
	type want struct {
		region string
		ok     bool
		err    error
	}
	cases := map[string]struct {
		reason  string
		usage   resource.ModernTracker
		factory *controllertest.ClientFactory
		want    want
	}{
		"TrackError": {
			reason:  "An error tracking the ProviderConfig usage is returned before a client is made.",
			usage:   resource.ModernTrackerFn(func(context.Context, resource.ModernManaged) error { return errBoom }),
			factory: &controllertest.ClientFactory{API: api},
			want:    want{err: errBoom},
		},
		"ClientError": {
			reason:  "An error making the EC2 client is returned.",
			usage:   resource.ModernTrackerFn(func(context.Context, resource.ModernManaged) error { return nil }),
			factory: &controllertest.ClientFactory{Err: errBoom},
			want:    want{region: region, err: errBoom},
		},
		"Success": {
			reason:  "A client for the ElasticIP's region is returned.",
			usage:   resource.ModernTrackerFn(func(context.Context, resource.ModernManaged) error { return nil }),
			factory: &controllertest.ClientFactory{API: api},
			want:    want{region: region, ok: true},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := &connector{usage: tc.usage, clients: tc.factory, record: event.NewNopRecorder(), reallocations: prometheus.NewCounter(prometheus.CounterOpts{Name: "test_reallocations_total", Help: "Reallocations counted by a test."})}
			got, err := c.Connect(context.Background(), elasticIP())
			if diff := cmp.Diff(tc.want.err, err, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("\n%s\nConnect(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.region, tc.factory.Region); diff != "" {
				t.Errorf("\n%s\nConnect(...): -want region, +got region:\n%s", tc.reason, diff)
			}
			e, ok := got.(*external)
			if ok != tc.want.ok {
				t.Fatalf("\n%s\nConnect(...): got an external client: %t, want %t", tc.reason, ok, tc.want.ok)
			}
			if ok && e.client != api {
				t.Errorf("\n%s\nConnect(...): the external client does not use the factory's EC2 client", tc.reason)
			}
		})
	}
}

func TestSetupGated(t *testing.T) {
	g := &controllertest.Gate{}
	if err := SetupGated(nil, controller.Options{Gate: g}, managedopts.Dependencies{Clients: &controllertest.ClientFactory{}}); err != nil {
		t.Fatalf("SetupGated(...): %v", err)
	}
	want := []schema.GroupVersionKind{v1alpha1.ElasticIPGroupVersionKind, v1alpha1.NATGatewayGroupVersionKind}
	if diff := cmp.Diff(want, g.GVKs); diff != "" {
		t.Errorf("SetupGated(...): the controller must wait for the ElasticIP and NATGateway CRDs it watches: -want, +got:\n%s", diff)
	}
}
