#!/usr/bin/env bash
# Refreshes third_party/charts, the repository's copy of the pinned charts,
# from a local folder or from the public repositories, at the versions
# internal/infra/platform/releases.go pins. Each chart's Chart.yaml must
# carry its release's pin, or nothing is replaced.
#
#   third_party/charts/refresh.sh --from ../shared/charts   # a folder laid out like this one
#   third_party/charts/refresh.sh --public                  # helm pull each chart (needs network)
#   third_party/charts/refresh.sh --check                   # only compare the copy with the pins
#
# helm is $HELM, else the cached build (.ci/build-tools.sh), else PATH.
# After a refresh, update README.md's provenance table and run
# go test ./internal/charts/... ./internal/infra/platform/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
releases="$root/internal/infra/platform/releases.go"

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
mode=""; from=""
case "${1:-}" in
  --from) [ $# -eq 2 ] || usage; mode=from; from="$(cd "$2" && pwd)" ;;
  --public) [ $# -eq 1 ] || usage; mode=public ;;
  --check) [ $# -eq 1 ] || usage; mode=check ;;
  *) usage ;;
esac

# pins prints "dir version chart repo" per release, read from the Release
# literals of releases.go (Name, Chart, Version, Repo, Dir fields).
pins() {
  awk '
    /\{Name: "/ { if (dir != "") print dir, version, chart, repo; dir = version = chart = ""; repo = "-" }
    { line = $0
      while (match(line, /(Chart|Version|Repo|Dir): "[^"]*"/)) {
        kv = substr(line, RSTART, RLENGTH); line = substr(line, RSTART + RLENGTH)
        split(kv, p, ": "); v = p[2]; gsub(/"/, "", v)
        if (p[1] == "Chart") chart = v; else if (p[1] == "Version") version = v
        else if (p[1] == "Repo") repo = v; else if (p[1] == "Dir") dir = v
      } }
    END { if (dir != "") print dir, version, chart, repo }' "$releases"
}

chart_version() { sed -n 's/^version:[[:space:]]*"\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "$1/Chart.yaml" | head -1; }

helm_bin() {
  if [ -n "${HELM:-}" ]; then echo "$HELM"; return; fi
  local v cached
  v=$(sed -n 's#^require helm.sh/helm/v3 \(v[0-9.]*\).*#\1#p' "$root/tools/helm/go.mod")
  cached="${XDG_CACHE_HOME:-$HOME/.cache}/mlops-platform/helm-$v"
  if [ -x "$cached" ]; then echo "$cached"; else command -v helm; fi
}

stage="$(mktemp -d)"; trap 'rm -rf "$stage"' EXIT
failed=0
while read -r dir version chart repo; do
  case "$mode" in
    check) src="$here/$dir" ;;
    from) src="$from/$dir" ;;
    public)
      helm="$(helm_bin)"
      mkdir -p "$stage/pull-$dir"
      if [ "${repo#oci://}" != "$repo" ]; then
        "$helm" pull "$repo/$chart" --version "$version" --untar --untardir "$stage/pull-$dir"
      else
        "$helm" pull "$chart" --repo "$repo" --version "$version" --untar --untardir "$stage/pull-$dir"
      fi
      src="$stage/pull-$dir/$chart"
      # Packaged subcharts are unpacked, so their values can be checked.
      for tgz in "$src"/charts/*.tgz; do
        [ -e "$tgz" ] || continue
        tar -xzf "$tgz" -C "$src/charts" && rm "$tgz"
      done ;;
  esac
  got="$( [ -f "$src/Chart.yaml" ] && chart_version "$src" || true)"
  if [ "$got" != "$version" ]; then
    echo "refresh: $dir: Chart.yaml at $src says '${got:-missing}', releases.go pins $version" >&2
    failed=1; continue
  fi
  if [ "$mode" != check ]; then
    rm -rf "$stage/$dir"; cp -a "$src" "$stage/$dir"
    # Upstream's .gitignore files would hide subcharts from this repository.
    find "$stage/$dir" -name .gitignore -delete
    # A subchart the source lacks (a folder copy without `helm dependency
    # build`) is kept from the current copy, so nothing goes missing.
    for sub in "$here/$dir"/charts/*/; do
      [ -d "$sub" ] || continue
      name="$(basename "$sub")"
      if [ ! -e "$stage/$dir/charts/$name" ] && ! compgen -G "$stage/$dir/charts/$name-*.tgz" >/dev/null; then
        mkdir -p "$stage/$dir/charts"; cp -a "${sub%/}" "$stage/$dir/charts/$name"
        echo "refresh: $dir: kept subchart $name (not in the source)"
      fi
    done
  fi
  echo "refresh: $dir $version ok"
done < <(pins)
[ "$failed" = 0 ] || { echo "refresh: nothing replaced" >&2; exit 1; }
[ "$mode" = check ] && exit 0
for d in "$stage"/*; do
  name="$(basename "$d")"
  case "$name" in pull-*) continue ;; esac
  rm -rf "${here:?}/$name"
  mv "$d" "$here/$name"
done
echo "refresh: done; update README.md's provenance table, then run the chart tests"
