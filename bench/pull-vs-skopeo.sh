#!/usr/bin/env bash
# Compare `jrun image pull` with `skopeo copy` pulling the Debian test image
# (test-images/debian-nginx.sh, one ~65 MiB gzip layer) from Debian's
# docker-registry on 127.0.0.1 over plain HTTP, with curl fetching the layer
# blob as the floor.
#
#   bench/pull-vs-skopeo.sh [--tools "curl skopeo jrun"] [--runs 5] [--warmup 1]
#                           [--registry test-images/registry]
#
# The registry is started with `test-images/registry start DIR` (it prints
# port=N), the image pushed once with skopeo, then hyperfine measures, each
# run into a fresh destination (removed in --prepare, not timed):
#   curl blob     curl -o /dev/null http://127.0.0.1:PORT/v2/bench/debian/blobs/LAYER
#   skopeo copy   skopeo copy --src-tls-verify=false docker://... oci:OUT:latest
#   jrun pull     jrun --data-root D image pull --tls-verify=false -q 127.0.0.1:PORT/bench/debian:1
# Ends with a summary block (medians, ratios to skopeo and to curl) meant to
# be pasted into a report. Exits non-zero if a tool fails. Stops the registry
# on every exit. Needs root (the registry script may apt-get install).
# Leaves nothing behind except the cached image in $ROOT/.cache/test-images.
set -euo pipefail
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

tools="curl skopeo jrun" runs=5 warmup=1 registry=$ROOT/test-images/registry
while (($#)); do
    case $1 in
        --tools) tools=$2; shift 2 ;;
        --tools=*) tools=${1#*=}; shift ;;
        --runs) runs=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --registry) registry=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ $(id -u) == 0 ]] || { echo "run as root" >&2; exit 2; }
((runs >= 5)) || echo "WARNING: fewer than 5 runs make a weak median" >&2
[[ -f $registry ]] || { echo "no registry script at $registry (test-images/registry)" >&2; exit 2; }

# --- tools ------------------------------------------------------------------
source "$ROOT/test-images/lib/build.sh"
tib_need hyperfine:/usr/bin/hyperfine skopeo:/usr/bin/skopeo jq:/usr/bin/jq curl:/usr/bin/curl
JRUN=$ROOT/jrun

# --- image --------------------------------------------------------------------
LAYOUT=$ROOT/.cache/test-images/debian-nginx
echo "=== building (or finding) $LAYOUT" >&2
"$ROOT/test-images/debian-nginx.sh" "$LAYOUT" >&2
manifest=$(jq -r '.manifests[0].digest' "$LAYOUT/index.json")
layer=$(jq -r '.layers[0].digest' "$LAYOUT/blobs/sha256/${manifest#sha256:}")

# --- scratch space, registry and cleanup ---------------------------------------------
WORK=$(mktemp -d /tmp/jrun-bench-pull.XXXXXX)
OUT=$WORK/out    # skopeo's destination layout
D=$WORK/data     # jrun's data root
REG=$WORK/registry
reg_pid=
alive() { # PID: running and not a zombie
    local st
    st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [[ $st != Z ]]
}
cleanup() {
    set +e
    if [[ -d $REG ]]; then
        bash "$registry" stop "$REG" >/dev/null
        # The registry's own pid, if it said: it must be gone whatever stop
        # did (a zombie waiting for its reaper counts as gone).
        if [[ -n $reg_pid ]]; then
            for _ in $(seq 50); do alive "$reg_pid" || break; sleep 0.1; done
            if alive "$reg_pid"; then
                echo "WARNING: registry pid $reg_pid still running after stop; killing it" >&2
                kill "$reg_pid"
            fi
        fi
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "=== starting the registry" >&2
bash "$registry" start "$REG" >"$WORK/registry.out"
port=$(sed -n 's/^port=//p' "$WORK/registry.out")
reg_pid=$(sed -n 's/^pid=//p' "$WORK/registry.out")
[[ $port =~ ^[0-9]+$ ]] || { echo "the registry script printed no port=N:" >&2; cat "$WORK/registry.out" >&2; exit 1; }
HOSTPORT=127.0.0.1:$port
IMAGE=$HOSTPORT/bench/debian:1
echo "=== pushing to $IMAGE" >&2
skopeo copy --quiet --dest-tls-verify=false "oci:$LAYOUT:latest" "docker://$IMAGE" >&2

# --- checks: one plain run of each tool ----------------------------------------------
source "$ROOT/bench/lib.sh"
q() { printf '%q' "$1"; }
for t in $tools; do
    case $t in
        curl)
            bench_check "curl blob" "true" \
                "curl -sSf -o /dev/null http://$HOSTPORT/v2/bench/debian/blobs/$layer" ;;
        skopeo)
            bench_check "skopeo copy" "rm -rf $OUT" \
                "skopeo copy --quiet --src-tls-verify=false docker://$IMAGE oci:$OUT:latest" ;;
        jrun)
            bench_check "jrun pull" "rm -rf $D" \
                "$(q "$JRUN") --data-root $D image pull --tls-verify=false -q $IMAGE" ;;
        *) echo "unknown tool: $t" >&2; exit 2 ;;
    esac
done

# A pull that "works" but stores nothing would be a fast bug: look for the layer.
if [[ ${STATUS[jrun pull]:-} == ok ]] && ! find "$D" -type f -size +1M | grep -q .; then
    echo "FAIL: jrun pull left no large blob under $D" >&2
    bench_fail "jrun pull" "no layer stored"
fi

# --- measure ----------------------------------------------------------------------
bench_measure

# --- summary ----------------------------------------------------------------------
{
    echo
    echo "----- jrun bench: pull-vs-skopeo ($(date -u +%Y-%m-%dT%H:%MZ)) -----"
    echo "host: $(uname -r), $(nproc) cpus; destinations on $(stat -fc %T "$WORK") (/tmp)"
    echo "registry: $(dpkg-query -W -f '${Package} ${Version}' docker-registry 2>/dev/null || echo '?') on $HOSTPORT, plain HTTP"
    echo "skopeo: $(skopeo --version), curl: $(curl --version | head -1 | awk '{print $2}')"
    [[ $tools == *jrun* ]] && echo "jrun: $(bench_jrun_version)"
    echo "image: $IMAGE from $LAYOUT ($manifest)"
    echo "layer: $(($(stat -c %s "$LAYOUT/blobs/sha256/${layer#sha256:}") / 1048576)) MiB gzip"
    echo "hyperfine --warmup $warmup --runs $runs; ratios of medians"
    echo
    bench_table "skopeo copy" skopeo "curl blob" curl
    echo "-----"
}
exit "$failed"
