// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package config holds the controllers that account for the use of
// ProviderConfigs and ClusterProviderConfigs, so that a configuration in use
// cannot be deleted. Both kinds are counted through the namespaced
// ProviderConfigUsage that managed resources record when they connect.
package config

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/providerconfig"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

// A kind of provider configuration, with the usage type counted for it.
type kind struct {
	// name is the configuration's kind, as in a usage's providerConfigRef.
	name string

	// object is an empty configuration of the kind.
	object client.Object

	// kinds are the type metadata the reconciler needs.
	kinds resource.ProviderConfigKinds
}

// kinds returns the provider configuration kinds. Both count the namespaced
// ProviderConfigUsage: crossplane-runtime's tracker records every usage,
// of either kind, as one.
func kinds() []kind {
	usage := resource.ProviderConfigKinds{
		Usage:     apisv1alpha1.ProviderConfigUsageGroupVersionKind,
		UsageList: apisv1alpha1.ProviderConfigUsageListGroupVersionKind,
	}
	pc, cpc := usage, usage
	pc.Config = apisv1alpha1.ProviderConfigGroupVersionKind
	cpc.Config = apisv1alpha1.ClusterProviderConfigGroupVersionKind
	return []kind{
		{name: apisv1alpha1.ProviderConfigKind, object: &apisv1alpha1.ProviderConfig{}, kinds: pc},
		{name: apisv1alpha1.ClusterProviderConfigKind, object: &apisv1alpha1.ClusterProviderConfig{}, kinds: cpc},
	}
}

// GroupVersionKinds are the kinds the controllers need: they start once the
// CustomResourceDefinitions of all of them are established.
func GroupVersionKinds() []schema.GroupVersionKind {
	return []schema.GroupVersionKind{
		apisv1alpha1.ProviderConfigGroupVersionKind,
		apisv1alpha1.ClusterProviderConfigGroupVersionKind,
		apisv1alpha1.ProviderConfigUsageGroupVersionKind,
	}
}

// Setup adds a usage-accounting controller for ProviderConfigs and one for
// ClusterProviderConfigs. Each watches the ProviderConfigUsages of its own
// kind only.
func Setup(mgr ctrl.Manager, o controller.Options) error {
	for _, k := range kinds() {
		for _, gvk := range []schema.GroupVersionKind{k.kinds.Config, k.kinds.Usage, k.kinds.UsageList} {
			if !mgr.GetScheme().Recognizes(gvk) {
				return errors.Errorf("cannot set up the %s controller: the manager's scheme does not know %s", k.name, gvk)
			}
		}
		name := providerconfig.ControllerName(k.name)
		r := providerconfig.NewReconciler(mgr, k.kinds,
			providerconfig.WithLogger(o.Logger.WithValues("controller", name)),
			//nolint:staticcheck // GetEventRecorderFor uses the old events API that crossplane-runtime v2.4 event.NewAPIRecorder takes.
			providerconfig.WithRecorder(event.NewAPIRecorder(mgr.GetEventRecorderFor(name))))

		err := ctrl.NewControllerManagedBy(mgr).
			Named(name).
			WithOptions(o.ForControllerRuntime()).
			For(k.object).
			Watches(&apisv1alpha1.ProviderConfigUsage{}, &resource.EnqueueRequestForProviderConfig{Kind: k.name}).
			Complete(ratelimiter.NewReconciler(name, r, o.GlobalRateLimiter))
		if err != nil {
			return errors.Wrapf(err, "cannot set up the %s controller", k.name)
		}
	}
	return nil
}

// SetupGated adds the controllers of Setup once the provider configuration
// CustomResourceDefinitions are established. A failed setup panics: a
// provider without usage accounting would let configurations in use be
// deleted.
func SetupGated(mgr ctrl.Manager, o controller.Options) error {
	if o.Gate == nil {
		return errors.New("cannot set up the provider config controllers: controller options have no gate")
	}
	o.Gate.Register(func() {
		if err := Setup(mgr, o); err != nil {
			panic(errors.Wrap(err, "cannot set up the provider config controllers"))
		}
	}, GroupVersionKinds()...)
	return nil
}
