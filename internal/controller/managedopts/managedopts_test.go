// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package managedopts

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/prometheus/client_golang/prometheus/testutil"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	changelogsv1alpha1 "github.com/crossplane/crossplane-runtime/v2/apis/changelogs/proto/v1alpha1"
	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/feature"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	rfake "github.com/crossplane/crossplane-runtime/v2/pkg/resource/fake"
	"github.com/crossplane/crossplane-runtime/v2/pkg/statemetrics"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

var errBoom = errors.New("boom")

const (
	name         = "managed/elasticip.ec2.aws.m.egresskit.io"
	pollInterval = 3 * time.Minute
	allocID      = "eipalloc-0a1b2c3d4e5f60001"
)

// logger records the key/value pairs its loggers were given.
type logger struct{ kv *[]any }

func (l logger) Info(string, ...any)  {}
func (l logger) Debug(string, ...any) {}

func (l logger) WithValues(kv ...any) logging.Logger {
	*l.kv = append(*l.kv, kv...)
	return l
}

// recorder records the reasons of the events it is given.
type recorder struct{ reasons []event.Reason }

func (r *recorder) Event(_ runtime.Object, e event.Event) { r.reasons = append(r.reasons, e.Reason) }

func (r *recorder) WithAnnotations(...string) event.Recorder { return r }

// changeLogger records the operations it logs.
type changeLogger struct {
	ops []changelogsv1alpha1.OperationType
}

func (c *changeLogger) Log(_ context.Context, _ resource.Managed, op changelogsv1alpha1.OperationType, _ error, _ managed.AdditionalDetails) error {
	c.ops = append(c.ops, op)
	return nil
}

// TestStandard runs crossplane-runtime's managed reconciler over one
// ElasticIP with the options Standard returns, to check that each option
// reaches the reconciler as the provider's controller.Options ask.
func TestStandard(t *testing.T) {
	type want struct {
		created      bool
		requeueAfter time.Duration
		reasons      []event.Reason
		changes      []changelogsv1alpha1.OperationType
		// detected counts the MRs the metric recorder observed.
		detected int
	}
	cases := map[string]struct {
		reason   string
		features []feature.Flag
		metrics  bool
		external string
		want     want
	}{
		"PoliciesOff": {
			reason: "Without the management policies feature an ElasticIP that sets its policies is not created, and the recorder says why.",
			want:   want{reasons: []event.Reason{"CannotUseInvalidManagementPolicy"}},
		},
		"PoliciesOn": {
			reason:   "With the management policies feature the ElasticIP is created, and the recorder says so.",
			features: []feature.Flag{feature.EnableBetaManagementPolicies},
			want:     want{created: true, reasons: []event.Reason{"CreatedExternalResource"}},
		},
		"ChangeLogs": {
			reason:   "With the change logs feature the creation is logged.",
			features: []feature.Flag{feature.EnableBetaManagementPolicies, feature.EnableAlphaChangeLogs},
			want: want{
				created: true, reasons: []event.Reason{"CreatedExternalResource"},
				changes: []changelogsv1alpha1.OperationType{changelogsv1alpha1.OperationType_OPERATION_TYPE_CREATE},
			},
		},
		"Metrics": {
			reason:   "With metric options the MR metrics recorder sees the ElasticIP.",
			features: []feature.Flag{feature.EnableBetaManagementPolicies},
			metrics:  true,
			want:     want{created: true, reasons: []event.Reason{"CreatedExternalResource"}, detected: 1},
		},
		"PollInterval": {
			reason:   "An ElasticIP that is up to date is observed again after the provider's poll interval.",
			features: []feature.Flag{feature.EnableBetaManagementPolicies},
			external: allocID,
			want:     want{requeueAfter: pollInterval},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			stored := &v1alpha1.ElasticIP{ObjectMeta: metav1.ObjectMeta{Name: "egress-a", Namespace: "default", CreationTimestamp: metav1.Now()}}
			stored.SetManagementPolicies(xpv2.ManagementPolicies{xpv2.ManagementActionObserve, xpv2.ManagementActionCreate, xpv2.ManagementActionUpdate, xpv2.ManagementActionDelete})
			meta.AddFinalizer(stored, managed.FinalizerName)
			if tc.external != "" {
				meta.SetExternalName(stored, tc.external)
			}
			kube := &test.MockClient{
				MockGet: test.NewMockGetFn(nil, func(obj client.Object) error {
					stored.DeepCopyInto(obj.(*v1alpha1.ElasticIP))
					return nil
				}),
				MockUpdate:       test.NewMockUpdateFn(nil),
				MockStatusUpdate: test.NewMockSubResourceUpdateFn(nil),
			}
			s := runtime.NewScheme()
			if err := v1alpha1.SchemeBuilder.AddToScheme(s); err != nil {
				t.Fatal(err)
			}

			var kv []any
			f := &feature.Flags{}
			for _, fl := range tc.features {
				f.Enable(fl)
			}
			cl := &changeLogger{}
			o := controller.Options{
				Logger:           logger{kv: &kv},
				PollInterval:     pollInterval,
				Features:         f,
				ChangeLogOptions: &controller.ChangeLogOptions{ChangeLogger: cl},
			}
			mr := managed.NewMRMetricRecorder()
			if tc.metrics {
				o.MetricOptions = &controller.MetricOptions{MRMetrics: mr}
			}
			rec := &recorder{}

			created := false
			ext := &managed.ExternalClientFns{
				ObserveFn: func(_ context.Context, mg resource.Managed) (managed.ExternalObservation, error) {
					exists := meta.GetExternalName(mg) != ""
					return managed.ExternalObservation{ResourceExists: exists, ResourceUpToDate: exists}, nil
				},
				CreateFn: func(_ context.Context, mg resource.Managed) (managed.ExternalCreation, error) {
					created = true
					meta.SetExternalName(mg, allocID)
					return managed.ExternalCreation{}, nil
				},
				DisconnectFn: func(context.Context) error { return nil },
			}
			opts := append([]managed.ReconcilerOption{
				managed.WithExternalConnector(managed.ExternalConnectorFn(func(context.Context, resource.Managed) (managed.ExternalClient, error) { return ext, nil })),
				managed.WithInitializers(),
				managed.WithDeterministicExternalName(true),
			}, Standard(o, name, rec)...)
			r := managed.NewReconciler(&rfake.Manager{Client: kube, Scheme: s}, resource.ManagedKind(v1alpha1.ElasticIPGroupVersionKind), opts...)

			got, err := r.Reconcile(context.Background(), reconcile.Request{NamespacedName: client.ObjectKeyFromObject(stored)})
			if err != nil {
				t.Fatalf("\n%s\nReconcile(...): %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want.requeueAfter, got.RequeueAfter); diff != "" {
				t.Errorf("\n%s\nReconcile(...): -want requeue after, +got requeue after:\n%s", tc.reason, diff)
			}
			if created != tc.want.created {
				t.Errorf("\n%s\nReconcile(...): created %t, want %t", tc.reason, created, tc.want.created)
			}
			if diff := cmp.Diff(tc.want.reasons, rec.reasons, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\nReconcile(...): -want event reasons, +got event reasons:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.changes, cl.ops, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\nReconcile(...): -want change logs, +got change logs:\n%s", tc.reason, diff)
			}
			if got := testutil.CollectAndCount(mr, "crossplane_managed_resource_first_time_to_reconcile_seconds"); got != tc.want.detected {
				t.Errorf("\n%s\nReconcile(...): the MR metrics recorder observed %d MRs, want %d", tc.reason, got, tc.want.detected)
			}
			i := slices.Index(kv, any("controller"))
			if i < 0 || i+1 >= len(kv) || kv[i+1] != name {
				t.Errorf("\n%s\nReconcile(...): the reconciler's logger does not name the controller %q: %v", tc.reason, name, kv)
			}
		})
	}
}

// fakeManager records what is added to it.
type fakeManager struct {
	added []manager.Runnable
	err   error
}

func (m *fakeManager) GetClient() client.Client { return &test.MockClient{} }

func (m *fakeManager) Add(r manager.Runnable) error {
	m.added = append(m.added, r)
	return m.err
}

func TestAddStateMetrics(t *testing.T) {
	type want struct {
		added int
		err   error
	}
	cases := map[string]struct {
		reason  string
		metrics *controller.MetricOptions
		addErr  error
		want    want
	}{
		"NoMetricOptions": {
			reason: "Without metric options nothing is added.",
		},
		"NoStateMetrics": {
			reason:  "Metric options without state metrics add nothing.",
			metrics: &controller.MetricOptions{MRMetrics: managed.NewMRMetricRecorder()},
		},
		"StateMetrics": {
			reason:  "With state metrics a state recorder of the listed kind is added.",
			metrics: &controller.MetricOptions{MRStateMetrics: statemetrics.NewMRStateMetrics(), PollStateMetricInterval: time.Minute},
			want:    want{added: 1},
		},
		"AddError": {
			reason:  "An error adding the state recorder is returned.",
			metrics: &controller.MetricOptions{MRStateMetrics: statemetrics.NewMRStateMetrics(), PollStateMetricInterval: time.Minute},
			addErr:  errBoom,
			want:    want{added: 1, err: errBoom},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			mgr := &fakeManager{err: tc.addErr}
			o := controller.Options{Logger: logging.NewNopLogger(), MetricOptions: tc.metrics}
			err := AddStateMetrics(mgr, o, &v1alpha1.ElasticIPList{})
			if diff := cmp.Diff(tc.want.err, err, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("\n%s\nAddStateMetrics(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.added, len(mgr.added)); diff != "" {
				t.Errorf("\n%s\nAddStateMetrics(...): -want runnables added, +got:\n%s", tc.reason, diff)
			}
			for _, r := range mgr.added {
				if _, ok := r.(*statemetrics.MRStateRecorder); !ok {
					t.Errorf("\n%s\nAddStateMetrics(...): added %T, want a *statemetrics.MRStateRecorder", tc.reason, r)
				}
			}
		})
	}
}
