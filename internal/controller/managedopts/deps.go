// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package managedopts

import (
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// Dependencies are what the managed-resource controllers need besides the
// provider's controller.Options. The provider builds one value and gives it
// to every controller, so that all of them share one EC2 client factory: its
// cached clients, its API budget and its metrics.
type Dependencies struct {
	// Clients makes the EC2 client of a managed resource's provider
	// configuration and region.
	Clients ec2client.ClientFactory

	// NATInventoryInterval is how often the NATGateway controller lists the
	// gateways of each provider configuration and region in use; 0 turns the
	// listing off, and each observation describes its gateway.
	NATInventoryInterval time.Duration
}

// SetupGated registers setup, the setup of the controller of kind, with o's
// gate, to run once the CustomResourceDefinitions of gvks are served. It
// refuses options without a gate and dependencies without an EC2 client
// factory. A failed setup panics, so a missing controller cannot go
// unnoticed.
func SetupGated(o controller.Options, deps Dependencies, kind string, setup func() error, gvks ...schema.GroupVersionKind) error {
	if o.Gate == nil {
		return errors.Errorf("cannot set up the %s controller: controller options have no gate", kind)
	}
	if deps.Clients == nil {
		return errors.Errorf("cannot set up the %s controller: dependencies have no EC2 client factory", kind)
	}
	o.Gate.Register(func() {
		if err := setup(); err != nil {
			panic(errors.Wrapf(err, "cannot set up the %s controller", kind))
		}
	}, gvks...)
	return nil
}
