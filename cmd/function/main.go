// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Command function serves the egress composition function over gRPC.
package main

import (
	"github.com/alecthomas/kong"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	function "github.com/crossplane/function-sdk-go"

	egress "github.com/egresskit/provider-aws-egress/internal/function"
)

// CLI of the function.
type CLI struct {
	Debug bool `help:"Emit debug logs in addition to info logs." short:"d"`

	Network string `default:"tcp"   help:"Network on which to listen for gRPC connections."`
	Address string `default:":9443" help:"Address at which to listen for gRPC connections."`

	TLSServerCertsDir string `aliases:"tls-certs-dir" env:"TLS_SERVER_CERTS_DIR" help:"Directory containing server certs (tls.key, tls.crt) and the CA used to verify client certificates (ca.crt)."`

	Insecure bool `help:"Run without mTLS credentials. For local development only: Crossplane always uses mTLS."`

	MaxRecvMessageSize int `default:"4" help:"Maximum size of received messages in MB."`

	MetricsAddress string `default:":8080" env:"METRICS_ADDRESS" help:"Address at which to serve Prometheus metrics. Empty disables the metrics server, so that several functions can run on one host."`
}

// Run the function.
func (c *CLI) Run() error {
	log, err := function.NewLogger(c.Debug)
	if err != nil {
		return errors.Wrap(err, "cannot create the logger")
	}
	err = function.Serve(egress.New(log),
		function.Listen(c.Network, c.Address),
		function.MTLSCertificates(c.TLSServerCertsDir),
		function.Insecure(c.Insecure),
		function.MaxRecvMessageSize(c.MaxRecvMessageSize*1024*1024),
		function.WithMetricsServer(c.MetricsAddress))
	return errors.Wrap(err, "cannot serve the function")
}

func main() {
	ctx := kong.Parse(&CLI{}, kong.Description("A Crossplane composition function that composes highly available AWS NAT-gateway egress."))
	ctx.FatalIfErrorf(ctx.Run())
}
