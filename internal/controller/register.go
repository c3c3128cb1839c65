// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package controller

import (
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/controller/config"
	"github.com/egresskit/provider-aws-egress/internal/controller/elasticip"
	"github.com/egresskit/provider-aws-egress/internal/controller/natgateway"
	"github.com/egresskit/provider-aws-egress/internal/controller/route"
)

// managed returns the gated managed-resource controllers of the provider,
// each to be set up with the process's one EC2 client factory; the
// NATGateway controller with nat.
func managed(nat ...natgateway.Option) []func(ctrl.Manager, controller.Options, ec2client.ClientFactory) error {
	return []func(ctrl.Manager, controller.Options, ec2client.ClientFactory) error{
		func(mgr ctrl.Manager, o controller.Options, ec ec2client.ClientFactory) error {
			return natgateway.SetupGated(mgr, o, ec, nat...)
		},
		elasticip.SetupGated,
		route.SetupGated,
	}
}

// SetupGated sets up every controller of the provider behind o.Gate: the
// provider config usage controllers, and the managed-resource controllers
// with one EC2 client factory made with opts; the NATGateway controller with
// nat, e.g. natgateway.WithInventoryInterval.
func SetupGated(mgr ctrl.Manager, o controller.Options, nat []natgateway.Option, opts ...ec2client.FactoryOption) error {
	return setupGated(mgr, o, managed(nat...), opts...)
}

func setupGated(mgr ctrl.Manager, o controller.Options, setups []func(ctrl.Manager, controller.Options, ec2client.ClientFactory) error, opts ...ec2client.FactoryOption) error {
	if err := config.SetupGated(mgr, o); err != nil {
		return err
	}
	ec := ec2client.NewClientFactory(mgr.GetClient(), opts...)
	for _, setup := range setups {
		if err := setup(mgr, o, ec); err != nil {
			return errors.Wrap(err, "cannot set up a managed resource controller")
		}
	}
	return nil
}
