#!/usr/bin/env bash
# Builds the tools the real-engine tests drive, each only when its cache
# entry is missing:
#   - the Pulumi CLI, from tools/pulumi at the pkg/v3 version its go.mod
#     pins, stamped with that version so the Automation API accepts it;
#   - the fake AWS provider plugin, from tools/fake-aws-provider, keyed by
#     the pulumi-aws version it reports and a hash of its sources (the
#     main module's packages it links included);
#   - the real Kubernetes provider plugin, from tools/pulumi-kubernetes at
#     the provider/v4 version its go.mod pins, stamped with that version;
#   - the Helm CLI, from tools/helm at the helm.sh/helm/v3 version its
#     go.mod pins (internal/testing/rendercheck renders the charts with it);
#   - actionlint, from tools/actionlint at the version its go.mod pins
#     (.ci/run checks .github/workflows with it).
#   - Karpenter's kwok provider, from tools/karpenter-kwok at the
#     sigs.k8s.io/karpenter version its go.mod pins
#     (internal/testing/karpsim runs it in the simulated cluster).
# With CI=true it also vets and tests the fake provider's module.
# Source it (.ci/run does): it exports MLOPS_PULUMI (the CLI binary),
# MLOPS_FAKE_AWS_PLUGIN_DIR (a directory holding pulumi-resource-aws),
# MLOPS_KUBERNETES_PLUGIN_DIR (one holding pulumi-resource-kubernetes),
# MLOPS_HELM, MLOPS_ACTIONLINT and MLOPS_KARPENTER_KWOK.
# Run on its own, it builds and prints the exports.

_mlops_tools() {
  local root cache version pulumi_root fake_hash fake_dir k8s_dir helm actionlint karpenter start
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/mlops-platform"
  mkdir -p "$cache"

  version=$(sed -n 's#^[[:space:]]*github.com/pulumi/pulumi/pkg/v3 \(v[0-9.]*\).*#\1#p' "$root/tools/pulumi/go.mod")
  [ -n "$version" ] || { echo "build-tools: no pkg/v3 version in tools/pulumi/go.mod" >&2; return 1; }
  pulumi_root="$cache/pulumi-$version"
  if [ ! -x "$pulumi_root/bin/pulumi" ]; then
    start=$SECONDS
    (cd "$root/tools/pulumi" && go build -trimpath \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
      -o "$pulumi_root/bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) || return 1
    mv "$pulumi_root/bin/pulumi.tmp" "$pulumi_root/bin/pulumi"
    echo "build-tools: built pulumi $version in $((SECONDS - start))s"
  fi

  version=$(sed -n 's#^[[:space:]]*Version = "\([0-9.]*\)"$#\1#p' "$root/tools/fake-aws-provider/provider.go")
  [ -n "$version" ] || { echo "build-tools: no Version in tools/fake-aws-provider/provider.go" >&2; return 1; }
  # The plugin's sources, its schema table, and the main module's packages
  # it links (internal/awsrules and what that imports, embedded models
  # included): a change to any rebuilds it.
  fake_hash=$(cd "$root/tools/fake-aws-provider" && {
    cat go.mod go.sum schema.json $(ls *.go | grep -v _test.go)
    go list -deps -f '{{if and .Module (eq .Module.Path "github.com/mlops-platform/mlops-platform")}}{{.Dir}}{{end}}' . |
      xargs -I{} find {} -maxdepth 1 -type f ! -name '*_test.go' | sort | xargs cat
  } | sha256sum | cut -c1-12)
  fake_dir="$cache/fake-aws-provider-$version-$fake_hash"
  if [ ! -x "$fake_dir/pulumi-resource-aws" ]; then
    start=$SECONDS
    (cd "$root/tools/fake-aws-provider" && go build -trimpath -o "$fake_dir/pulumi-resource-aws.tmp" .) || return 1
    mv "$fake_dir/pulumi-resource-aws.tmp" "$fake_dir/pulumi-resource-aws"
    echo "build-tools: built the fake aws provider $version in $((SECONDS - start))s"
  fi

  # The real Kubernetes provider, for the cluster layer's deploy into the
  # simulated cluster (internal/testing/simdeploy). Its first build compiles Helm,
  # client-go and the Pulumi engine at versions nothing else here uses
  # (about 19 minutes on two busy cores): lower priority, cached.
  version=$(cd "$root/tools/pulumi-kubernetes" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi-kubernetes/provider/v4)
  version=${version#v}
  [ -n "$version" ] || { echo "build-tools: no provider/v4 version in tools/pulumi-kubernetes/go.mod" >&2; return 1; }
  k8s_dir="$cache/pulumi-kubernetes-$version"
  if [ ! -x "$k8s_dir/pulumi-resource-kubernetes" ]; then
    start=$SECONDS
    (cd "$root/tools/pulumi-kubernetes" && VERSION="$version" go run ./embed &&
      nice -n 10 go build -trimpath \
        -ldflags "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$version" \
        -o "$k8s_dir/pulumi-resource-kubernetes.tmp" .) || return 1
    mv "$k8s_dir/pulumi-resource-kubernetes.tmp" "$k8s_dir/pulumi-resource-kubernetes"
    echo "build-tools: built the kubernetes provider $version in $((SECONDS - start))s"
  fi

  if [ "${CI:-}" = "true" ]; then
    (cd "$root/tools/fake-aws-provider" && go vet ./... && go test ./...) || return 1
  fi

  version=$(sed -n 's#^require helm.sh/helm/v3 \(v[0-9.]*\).*#\1#p' "$root/tools/helm/go.mod")
  [ -n "$version" ] || { echo "build-tools: no helm.sh/helm/v3 version in tools/helm/go.mod" >&2; return 1; }
  helm="$cache/helm-$version"
  if [ ! -x "$helm" ]; then
    start=$SECONDS
    # The first build compiles Helm's Kubernetes client libraries: lower priority.
    (cd "$root/tools/helm" && nice -n 10 go build -trimpath \
      -ldflags "-X helm.sh/helm/v3/internal/version.version=$version" \
      -o "$helm.tmp" helm.sh/helm/v3/cmd/helm) || return 1
    mv "$helm.tmp" "$helm"
    echo "build-tools: built helm $version in $((SECONDS - start))s"
  fi
  export MLOPS_HELM="$helm"

  version=$(cd "$root/tools/actionlint" && go list -m -f '{{.Version}}' github.com/rhysd/actionlint)
  [ -n "$version" ] || { echo "build-tools: no github.com/rhysd/actionlint version in tools/actionlint/go.mod" >&2; return 1; }
  actionlint="$cache/actionlint-$version"
  if [ ! -x "$actionlint" ]; then
    start=$SECONDS
    (cd "$root/tools/actionlint" && go build -trimpath -o "$actionlint.tmp" github.com/rhysd/actionlint/cmd/actionlint) || return 1
    mv "$actionlint.tmp" "$actionlint"
    echo "build-tools: built actionlint $version in $((SECONDS - start))s"
  fi
  export MLOPS_ACTIONLINT="$actionlint"
  # Karpenter's kwok provider: the controller with a cloud provider that
  # launches kwok nodes. Keyed by the Karpenter release its go.mod pins
  # (internal/testing/karpsim looks for karpenter-kwok-<version>). Its first
  # build compiles controller-runtime and Karpenter: lower priority.
  version=$(sed -n 's#^require sigs.k8s.io/karpenter \(v[0-9.]*\).*#\1#p' "$root/tools/karpenter-kwok/go.mod")
  [ -n "$version" ] || { echo "build-tools: no sigs.k8s.io/karpenter version in tools/karpenter-kwok/go.mod" >&2; return 1; }
  karpenter="$cache/karpenter-kwok-$version"
  if [ ! -x "$karpenter" ]; then
    start=$SECONDS
    (cd "$root/tools/karpenter-kwok" && nice -n 10 go build -trimpath \
      -o "$karpenter.tmp" sigs.k8s.io/karpenter/kwok) || return 1
    mv "$karpenter.tmp" "$karpenter"
    echo "build-tools: built karpenter-kwok $version in $((SECONDS - start))s"
  fi
  export MLOPS_KARPENTER_KWOK="$karpenter"

  export MLOPS_PULUMI="$pulumi_root/bin/pulumi"
  export MLOPS_FAKE_AWS_PLUGIN_DIR="$fake_dir"
  export MLOPS_KUBERNETES_PLUGIN_DIR="$k8s_dir"
  echo "build-tools: MLOPS_PULUMI=$MLOPS_PULUMI ($("$MLOPS_PULUMI" version))"
  echo "build-tools: MLOPS_FAKE_AWS_PLUGIN_DIR=$MLOPS_FAKE_AWS_PLUGIN_DIR"
  echo "build-tools: MLOPS_KUBERNETES_PLUGIN_DIR=$MLOPS_KUBERNETES_PLUGIN_DIR"
  echo "build-tools: MLOPS_HELM=$MLOPS_HELM ($("$MLOPS_HELM" version --short))"
  echo "build-tools: MLOPS_ACTIONLINT=$MLOPS_ACTIONLINT ($("$MLOPS_ACTIONLINT" -version | head -n 1))"
  echo "build-tools: MLOPS_KARPENTER_KWOK=$MLOPS_KARPENTER_KWOK"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  _mlops_tools
else
  _mlops_tools || return 1
fi
