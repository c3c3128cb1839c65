// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package managedopts holds what every managed-resource controller of the
// provider takes alike: the Dependencies the provider builds once, the gated
// setup that waits for the controller's CRDs, and, from the provider's
// controller.Options, its event recorder, the observability and policy
// options of its managed reconciler, and the recorder of its managed
// resources' state metrics. Each controller adds the options that decide how
// its own kind is created, named and deleted.
package managedopts

import (
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/feature"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	"github.com/crossplane/crossplane-runtime/v2/pkg/statemetrics"
)

// NewEventRecorder returns the event recorder of the controller name, which
// drops the events o's filters reject.
func NewEventRecorder(mgr manager.Manager, o controller.Options, name string) event.Recorder {
	//nolint:staticcheck // crossplane-runtime's event.APIRecorder takes the old events API recorder; see crossplane/crossplane#7152.
	return event.NewAPIRecorder(mgr.GetEventRecorderFor(name), o.EventFilterFunctions...)
}

// Standard returns the options of the managed reconciler of the controller
// name that come from o: its logger, rec as its event recorder and o's poll
// interval, and, as o enables them, management policies, change logs and
// managed resource metrics.
func Standard(o controller.Options, name string, rec event.Recorder) []managed.ReconcilerOption {
	opts := []managed.ReconcilerOption{
		managed.WithLogger(o.Logger.WithValues("controller", name)),
		managed.WithRecorder(rec),
		managed.WithPollInterval(o.PollInterval),
	}
	if o.Features.Enabled(feature.EnableBetaManagementPolicies) {
		opts = append(opts, managed.WithManagementPolicies())
	}
	if o.Features.Enabled(feature.EnableAlphaChangeLogs) {
		opts = append(opts, managed.WithChangeLogger(o.ChangeLogOptions.ChangeLogger))
	}
	if o.MetricOptions != nil {
		opts = append(opts, managed.WithMetricRecorder(o.MetricOptions.MRMetrics))
	}
	return opts
}

// A runner runs what is added to it, and reads from the API server.
type runner interface {
	GetClient() client.Client
	Add(r manager.Runnable) error
}

// AddStateMetrics adds to mgr a recorder of the state metrics of the managed
// resources l lists, when o asks for state metrics.
func AddStateMetrics(mgr runner, o controller.Options, l resource.ManagedList) error {
	if o.MetricOptions == nil || o.MetricOptions.MRStateMetrics == nil {
		return nil
	}
	sr := statemetrics.NewMRStateRecorder(mgr.GetClient(), o.Logger, o.MetricOptions.MRStateMetrics, l, o.MetricOptions.PollStateMetricInterval)
	return errors.Wrapf(mgr.Add(sr), "cannot register MR state metrics recorder for kind %T", l)
}
