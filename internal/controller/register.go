// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package controller

import (
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/internal/controller/config"
	"github.com/egresskit/provider-aws-egress/internal/controller/elasticip"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
	"github.com/egresskit/provider-aws-egress/internal/controller/natgateway"
	"github.com/egresskit/provider-aws-egress/internal/controller/route"
)

// A managedSetup sets up one managed-resource controller behind o.Gate.
type managedSetup func(mgr ctrl.Manager, o controller.Options, deps managedopts.Dependencies) error

// managed returns the gated setups of the provider's managed-resource
// controllers.
func managed() []managedSetup {
	return []managedSetup{natgateway.SetupGated, elasticip.SetupGated, route.SetupGated}
}

// SetupGated sets up every controller of the provider behind o.Gate: the
// provider config usage controllers, and the managed-resource controllers,
// all with deps.
func SetupGated(mgr ctrl.Manager, o controller.Options, deps managedopts.Dependencies) error {
	return setupGated(mgr, o, deps, managed())
}

func setupGated(mgr ctrl.Manager, o controller.Options, deps managedopts.Dependencies, setups []managedSetup) error {
	if err := config.SetupGated(mgr, o); err != nil {
		return err
	}
	for _, setup := range setups {
		if err := setup(mgr, o, deps); err != nil {
			return errors.Wrap(err, "cannot set up a managed resource controller")
		}
	}
	return nil
}
