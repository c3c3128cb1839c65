# egresskit: a Crossplane provider and composition function that keep AWS
# NAT-gateway egress alive.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

GO            ?= go
GOLANGCI_LINT ?= $(GO) run github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0
BIN_DIR       := $(CURDIR)/bin
VERSION       ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo v0.0.0-dev)
LDFLAGS       := -s -w -X github.com/egresskit/provider-aws-egress/internal/version.Version=$(VERSION)

.DEFAULT_GOAL := help

##@ Development

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z0-9_.-]+:.*##/ {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2} /^##@/ {printf "\n%s\n", substr($$0, 5)}' $(MAKEFILE_LIST)

.PHONY: generate
generate: ## Generate deepcopy and managed-resource methods, resolvers, CRDs and the monitoring examples.
	$(GO) generate ./apis/... ./internal/function/input/... ./hack/...
	$(GO) mod tidy

.PHONY: check-diff
check-diff: generate ## Fail when generated files or go.mod are stale.
	@if [ -n "$$(git status --porcelain)" ]; then \
		echo "generated files are stale: run 'make generate' and commit the result"; \
		git status --porcelain; git --no-pager diff --stat; exit 1; \
	fi

.PHONY: build
build: xpkg ## Build the binaries into bin/, and the runtime images and Crossplane packages into _output/.
	@mkdir -p $(BIN_DIR)
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN_DIR)/ ./cmd/...

# The packages' runtime images are made FROM scratch with go-containerregistry
# and the .xpkg files by crank (cluster/tools), with no Docker.
XPKG_OUT ?= _output

.PHONY: xpkg
xpkg: ## Build the runtime images and .xpkg packages for linux/amd64 and linux/arm64 into _output/.
	$(GO) run ./cluster/xpkg -version $(VERSION) -out $(XPKG_OUT)

.PHONY: publish
publish: ## Build and push both packages: make publish REGISTRY=<host>/<org> [VERSION=<version>].
	@if [ -z "$(REGISTRY)" ]; then echo "set REGISTRY=<host>/<org>, e.g. make publish REGISTRY=registry.example.com/egresskit"; exit 1; fi
	$(GO) run ./cluster/xpkg -version $(VERSION) -out $(XPKG_OUT) -push $(REGISTRY)

.PHONY: lint
lint: ## Run go vet and golangci-lint.
	$(GO) vet ./...
	$(GOLANGCI_LINT) run ./...

.PHONY: tools
tools: ## Build the local control plane tools (cached; the first build takes about 25 minutes).
	cluster/tools/build.sh all

# The end-to-end and chaos suites run after the other packages, verbosely, so
# that their scenarios and the figures they measure show in the output. They
# run even when other packages failed; make test fails if any did.
E2E_PKG   := ./test/e2e
CHAOS_PKG := ./test/chaos

.PHONY: test
test: tools ## Run every test: unit, simulator, CRD validation, end to end and chaos.
	@status=0; \
	echo "$(GO) test -count=1 -timeout 60m <every package but $(E2E_PKG) and $(CHAOS_PKG)>"; \
	$(GO) test -count=1 -timeout 60m $$($(GO) list ./... | grep -v -e '/test/e2e$$' -e '/test/chaos$$') || status=1; \
	echo "$(GO) test -count=1 -timeout 30m -v $(E2E_PKG)"; \
	$(GO) test -count=1 -timeout 30m -v $(E2E_PKG) || status=1; \
	echo "$(GO) test -count=1 -timeout 30m -v $(CHAOS_PKG)"; \
	$(GO) test -count=1 -timeout 30m -v $(CHAOS_PKG) || status=1; \
	exit $$status

# SOAK is how long make soak injects faults; SOAK_TIMEOUT bounds the run.
SOAK         ?= 30m
SOAK_TIMEOUT ?= 90m

.PHONY: soak
soak: tools ## Soak 200 NAT gateways under EC2 faults for 30 minutes (SOAK=10m for less) and print the report.
	$(GO) test -count=1 -timeout $(SOAK_TIMEOUT) -v -run '^TestSoak$$' $(CHAOS_PKG) -soak=$(SOAK) -soak-strict

# The unit tests need no control plane tools: the packages of the provider,
# the function and the simulator, with -short skipping their tests that start
# a control plane.
UNIT_PKGS := ./apis/... ./internal/... ./cmd/...

.PHONY: unit
unit: ## Run the unit tests, which need no control plane tools (under two minutes warm).
	$(GO) test -short -count=1 $(UNIT_PKGS)

.PHONY: e2e
e2e: tools ## Run the end-to-end suite alone, verbosely.
	$(GO) test -count=1 -timeout 30m -v $(E2E_PKG)

.PHONY: bench
bench: ## Run the benchmarks and print their figures.
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...

# BENCH_E2E_N are the numbers of NATGateways bench-e2e runs; each runs with
# the provider's defaults and with plain per-resource polling.
BENCH_E2E_N ?= 100,1000

.PHONY: bench-e2e
bench-e2e: tools ## Benchmark the provider end to end at scale (BENCH_E2E_N NATGateways) and print the table.
	$(GO) test -count=1 -timeout 90m -v -run '^TestBenchE2E$$' ./test/scale -args -n=$(BENCH_E2E_N) -create=20 -delete=10 -steady=2m

.PHONY: bench-sts
bench-sts: tools ## Count the STS calls of 100 NATGateways on a two-hop assume-role chain over five minutes.
	$(GO) test -count=1 -timeout 30m -v -run '^TestSTSCallsPerHop$$' $(E2E_PKG) -args -sts-resources=100 -sts-run=5m

.PHONY: reviewable
reviewable: generate lint test ## Generate, lint and test: run before a pull request.

.PHONY: run
run: ## Run the provider out of cluster against the current kubeconfig.
	$(GO) run ./cmd/provider --debug

.PHONY: demo
demo: ## Show a NAT gateway healed after an out-of-band deletion, on a local control plane.
	cluster/tools/build.sh kube prometheus
	$(GO) run ./cluster/demo
