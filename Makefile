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
generate: ## Generate deepcopy and managed-resource methods, resolvers and CRDs.
	$(GO) generate ./apis/... ./internal/function/input/...
	$(GO) mod tidy

.PHONY: check-diff
check-diff: generate ## Fail when generated files or go.mod are stale.
	@if [ -n "$$(git status --porcelain)" ]; then \
		echo "generated files are stale: run 'make generate' and commit the result"; \
		git status --porcelain; git --no-pager diff --stat; exit 1; \
	fi

.PHONY: build
build: ## Build the provider, function and ec2sim binaries into bin/.
	@mkdir -p $(BIN_DIR)
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN_DIR)/ ./cmd/...

.PHONY: lint
lint: ## Run go vet and golangci-lint.
	$(GO) vet ./...
	$(GOLANGCI_LINT) run ./...

.PHONY: tools
tools: ## Build the local control plane tools (cached; the first build takes about 15 minutes).
	cluster/tools/build.sh all

# The end-to-end suite runs after the other packages, verbosely, so that its
# scenarios and the times they measure show in the output. It runs even when
# other packages failed; make test fails if either did.
E2E_PKG := ./test/e2e

.PHONY: test
test: tools ## Run every test: unit, simulator, CRD validation and end to end.
	@status=0; \
	echo "$(GO) test -count=1 -timeout 60m <every package but $(E2E_PKG)>"; \
	$(GO) test -count=1 -timeout 60m $$($(GO) list ./... | grep -v '/test/e2e$$') || status=1; \
	echo "$(GO) test -count=1 -timeout 30m -v $(E2E_PKG)"; \
	$(GO) test -count=1 -timeout 30m -v $(E2E_PKG) || status=1; \
	exit $$status

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

.PHONY: reviewable
reviewable: generate lint test ## Generate, lint and test: run before a pull request.

.PHONY: run
run: ## Run the provider out of cluster against the current kubeconfig.
	$(GO) run ./cmd/provider --debug

.PHONY: demo
demo: ## Show a NAT gateway healed after an out-of-band deletion, on a local control plane.
	cluster/tools/build.sh kube
	$(GO) run ./cluster/demo
