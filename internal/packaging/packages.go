// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package packaging builds the Crossplane packages of egresskit: a runtime
// OCI image per package and architecture, made FROM scratch with
// go-containerregistry, and the .xpkg that embeds it, made by the Crossplane
// CLI; and pushes them to a registry.
package packaging

// A Package is one Crossplane package of the repository.
type Package struct {
	// Name is the package's metadata.name and repository name.
	Name string
	// Command is the Go package of its runtime binary.
	Command string
	// Binary is the binary's name in the runtime image.
	Binary string
	// Root holds crossplane.yaml and the CRDs, relative to the repository.
	Root string
	// Examples are the examples the package carries, relative to the
	// repository.
	Examples string
	// Description is the image's OCI description.
	Description string
	// ExposedPorts are the ports the runtime serves.
	ExposedPorts []string
}

// Names of the packages.
const (
	ProviderName = "provider-aws-egress"
	FunctionName = "function-egress"
)

// FunctionPort is where the function serves gRPC in a cluster: the port of
// the Service Crossplane's Deployment runtime makes for a function.
const FunctionPort = "9443/tcp"

// Packages returns the provider and the function package.
func Packages() []Package {
	return []Package{
		{
			Name:        ProviderName,
			Command:     "./cmd/provider",
			Binary:      "provider",
			Root:        "package/provider",
			Examples:    "examples/provider",
			Description: "Crossplane provider of AWS NAT gateways, Elastic IPs and routes that heals egress.",
		},
		{
			Name:         FunctionName,
			Command:      "./cmd/function",
			Binary:       "function",
			Root:         "package/function",
			Examples:     "examples/function",
			Description:  "Crossplane composition function of highly available AWS NAT-gateway egress.",
			ExposedPorts: []string{FunctionPort},
		},
	}
}
