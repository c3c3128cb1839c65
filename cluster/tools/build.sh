#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The egresskit Authors
# SPDX-License-Identifier: Apache-2.0

# Builds the local control plane tools from the pinned modules next to this
# script into a cache that is keyed by the pins and the build flags:
#
#   .cache/tools/<group>-<hash>/bin/...   one directory per pin set
#   .cache/tools/bin/<tool>               stable links to the current builds
#   .cache/tools/crossplane-crds          stable link to Crossplane's CRDs
#
# Usage: cluster/tools/build.sh [kube|crossplane|crank|prometheus|all]...  (default: all)
#
#   kube        etcd, kube-apiserver, kube-controller-manager
#   crossplane  crossplane (core) and its CRDs
#   crank       crank (`crossplane render`, `crank beta validate`)
#   prometheus  prometheus (server) and promtool
#
# A group is built only when its hash changed, so a second run is instant.
# Progress goes to stderr; the bin directory is printed on stdout.
# EGRESSKIT_TOOLS_CACHE overrides the cache directory.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "${here}/../.." && pwd)
cache=${EGRESSKIT_TOOLS_CACHE:-${root}/.cache/tools}

export GOWORK=off CGO_ENABLED=0

log() { printf '%s\n' "$*" >&2; }
die() { log "build.sh: $*"; exit 1; }

# pin prints the version a tools module requires for a module path.
pin() {
	local v
	v=$(awk -v m="$2" '$1 == m && $2 ~ /^v/ { print $2; exit }' "${here}/$1/go.mod")
	[[ -n ${v} ]] || die "cannot find the pin of $2 in ${here}/$1/go.mod"
	printf '%s' "${v}"
}

command -v go >/dev/null || die "cannot find the go command in PATH"

KUBE=$(pin kube k8s.io/kubernetes)
ETCD=$(pin etcd go.etcd.io/etcd/server/v3)
XP=$(pin crossplane github.com/crossplane/crossplane/v2)
CRANK=$(pin crank github.com/crossplane/crossplane/v2)
PROM=$(pin prometheus github.com/prometheus/prometheus)
GOENV=$(go env GOVERSION GOOS GOARCH | tr '\n' ' ')

# recipe prints, for a group, one line per binary:
#   <name> <version> <tools module> <package> <ldflags>
# The lines, the Go version and the modules' go.mod/go.sum make the hash.
recipe() {
	case $1 in
	kube)
		local major=${KUBE#v} && major=${major%%.*}
		local minor=${KUBE#v*.} && minor=${minor%%.*}
		local x="" p
		for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
			x+=" -X ${p}.gitVersion=${KUBE} -X ${p}.gitMajor=${major} -X ${p}.gitMinor=${minor}"
			x+=" -X ${p}.gitTreeState=clean"
		done
		echo "etcd ${ETCD} etcd go.etcd.io/etcd/server/v3 -s -w"
		echo "kube-apiserver ${KUBE} kube k8s.io/kubernetes/cmd/kube-apiserver -s -w${x}"
		echo "kube-controller-manager ${KUBE} kube k8s.io/kubernetes/cmd/kube-controller-manager -s -w${x}"
		;;
	crossplane)
		echo "crossplane ${XP} crossplane github.com/crossplane/crossplane/v2/cmd/crossplane -s -w" \
			"-X github.com/crossplane/crossplane-runtime/v2/pkg/version.version=${XP}"
		;;
	crank)
		echo "crank ${CRANK} crank github.com/crossplane/crossplane/v2/cmd/crank -s -w" \
			"-X github.com/crossplane/crossplane/v2/internal/version.version=${CRANK}"
		;;
	prometheus)
		# The module's version v0.3<minor>.<patch> is Prometheus 3.<minor>.<patch>.
		local v=${PROM#v0.3} x="" p=github.com/prometheus/common/version
		x+=" -X ${p}.Version=3.${v} -X ${p}.Branch=release-3.${v%.*} -X ${p}.Revision=${PROM}"
		echo "prometheus ${PROM} prometheus github.com/prometheus/prometheus/cmd/prometheus -s -w${x}"
		echo "promtool ${PROM} prometheus github.com/prometheus/prometheus/cmd/promtool -s -w${x}"
		;;
	*) die "unknown group $1 (want kube, crossplane, crank, prometheus or all)" ;;
	esac
}

# tags prints a group's build tags. The Prometheus tools are built without
# service discovery (the tests scrape static targets) and without the web UI's
# compiled-in assets (an npm build the module does not ship): the HTTP API,
# the rule engine and promtool are whole.
tags() {
	case $1 in
	prometheus) echo remove_all_sd ;;
	esac
}

modules() {
	case $1 in
	kube) echo kube etcd ;;
	*) echo "$1" ;;
	esac
}

hash_of() {
	local m
	{
		echo "${GOENV}"
		recipe "$1"
		tags "$1"
		for m in $(modules "$1"); do
			cat "${here}/${m}/go.mod" "${here}/${m}/go.sum"
		done
	} | sha256sum | cut -c1-16
}

elapsed() {
	local s=$(($(date +%s) - $1))
	printf '%dm%02ds' $((s / 60)) $((s % 60))
}

# link atomically points the symlink $2 at $1.
link() {
	ln -sfn "$1" "$2.tmp.$$"
	mv -T "$2.tmp.$$" "$2"
}

build_group() {
	local group=$1 hash dir tmp
	hash=$(hash_of "${group}")
	dir=${cache}/${group}-${hash}

	if [[ ! -f ${dir}/.complete ]]; then
		tmp=${cache}/.building-${group}-${hash}.$$
		rm -rf "${tmp}"
		mkdir -p "${tmp}/bin"
		# shellcheck disable=SC2064 # expand now: tmp is local
		trap "rm -rf '${tmp}'" EXIT

		local name version module pkg ldflags start
		while read -r name version module pkg ldflags; do
			log "building ${name} ${version} (first build takes several minutes on 2 cores)..."
			start=$(date +%s)
			(cd "${here}/${module}" && go build -mod=readonly -trimpath -tags="$(tags "${group}")" \
				-ldflags="${ldflags}" -o "${tmp}/bin/${name}" "${pkg}") || die "cannot build ${name}"
			log "built ${name} in $(elapsed "${start}")"
		done < <(recipe "${group}")

		if [[ ${group} == crossplane ]]; then
			local src
			src=$(cd "${here}/crossplane" && go list -mod=readonly -m -f '{{.Dir}}' github.com/crossplane/crossplane/v2)
			[[ -d ${src}/cluster/crds ]] || die "cannot find Crossplane CRDs in ${src}/cluster/crds"
			mkdir -p "${tmp}/crds"
			cp "${src}"/cluster/crds/*.yaml "${tmp}/crds/"
			chmod -R u+w "${tmp}/crds"
		fi

		touch "${tmp}/.complete"
		rm -rf "${dir}"
		mv "${tmp}" "${dir}"
		trap - EXIT

		# Drop builds of older pins of this group.
		local old
		for old in "${cache}/${group}"-*; do
			[[ ${old} == "${dir}" ]] || rm -rf "${old}"
		done
	fi

	local bin
	for bin in "${dir}"/bin/*; do
		link "../${group}-${hash}/bin/${bin##*/}" "${cache}/bin/${bin##*/}"
	done
	if [[ ${group} == crossplane ]]; then
		link "${group}-${hash}/crds" "${cache}/crossplane-crds"
	fi
}

groups=("$@")
[[ ${#groups[@]} -gt 0 ]] || groups=(all)
if [[ ${groups[*]} == *all* ]]; then
	groups=(kube crossplane crank prometheus)
fi
for g in "${groups[@]}"; do
	recipe "${g}" >/dev/null
done

mkdir -p "${cache}/bin"
# One build at a time: parallel test binaries may all ask for the tools.
exec 9>"${cache}/.lock"
if command -v flock >/dev/null; then
	flock 9
else
	log "flock not found: not guarding against parallel builds"
fi

for g in "${groups[@]}"; do
	build_group "${g}"
done

log "tools ready in ${cache}/bin"
printf '%s\n' "${cache}/bin"
