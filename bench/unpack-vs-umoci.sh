#!/usr/bin/env bash
# Compare `jrun image unpack` with `umoci unpack` on the Debian test image
# (test-images/debian-nginx.sh: bookworm minbase + nginx-light + curl, one
# gzip layer), with GNU tar extracting the same layer as the floor.
#
#   bench/unpack-vs-umoci.sh [--tools "tar umoci jrun"] [--runs 5] [--warmup 1]
#                            [--dir /tmp]
#
# --dir is where the outputs (and jrun's data roots) go: its filesystem sets
# the floor. On these VMs creating an inode on the ext4 root costs ~0.5 ms
# (tar spends 7 of its 8 s in the kernel there); --dir /dev/shm (tmpfs)
# shows the tools' own costs.
#
# Measured with hyperfine, each run into a fresh output (removed in --prepare,
# which is not timed):
#   tar -xzf          tar --numeric-owner -xzf LAYER -C OUT
#   umoci unpack      umoci unpack --image LAYOUT:latest OUT   (rootfs + config
#                     + mtree manifest of the tree)
#   jrun copy         jrun image unpack --copy REF OUT          (a flat copy: what
#                     umoci does)
#   jrun overlay cold jrun image unpack REF OUT, the layer not yet unpacked in the
#                     store (prepare: a fresh data root with the image imported)
#   jrun overlay warm jrun image unpack REF OUT, the snapshot already there: only
#                     the overlay mount and the bundle
# Ends with a summary block (medians, ratios to umoci and to tar) meant to be
# pasted into a report. Exits non-zero if a tool fails. Needs root. Leaves
# nothing behind except the cached image in $ROOT/.cache/test-images.
set -euo pipefail
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

tools="tar umoci jrun" runs=5 warmup=1 dir=/tmp
while (($#)); do
    case $1 in
        --tools) tools=$2; shift 2 ;;
        --tools=*) tools=${1#*=}; shift ;;
        --runs) runs=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --dir) dir=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ $(id -u) == 0 ]] || { echo "run as root" >&2; exit 2; }
((runs >= 5)) || echo "WARNING: fewer than 5 runs make a weak median" >&2

# --- tools ------------------------------------------------------------------
source "$ROOT/test-images/lib/build.sh"
tib_need hyperfine:/usr/bin/hyperfine umoci:/usr/bin/umoci jq:/usr/bin/jq
JRUN=$ROOT/jrun

# --- image --------------------------------------------------------------------
LAYOUT=$ROOT/.cache/test-images/debian-nginx
echo "=== building (or finding) $LAYOUT" >&2
"$ROOT/test-images/debian-nginx.sh" "$LAYOUT" >&2
manifest=$(jq -r '.manifests[0].digest' "$LAYOUT/index.json")
layer=$(jq -r '.layers[0].digest' "$LAYOUT/blobs/sha256/${manifest#sha256:}")
LAYER=$LAYOUT/blobs/sha256/${layer#sha256:}
REF=localhost/debian-nginx

# --- scratch space and cleanup ----------------------------------------------------
WORK=$(mktemp -d "$dir/jrun-bench-unpack.XXXXXX")
OUT=$WORK/out     # every tool's output; each prepare removes it
D=$WORK/data      # jrun's data root for copy and warm (imported once)
DC=$WORK/cold     # jrun's data root for cold runs (re-made before each run)

# fresh.sh DATA_ROOT: make $OUT absent. A jrun overlay bundle is unmounted
# with jrun itself first; if anything is still mounted under $OUT that is a
# jrun bug, and removing files through a live overlay would hide it, so fail.
cat >"$WORK/fresh.sh" <<EOF
#!/bin/sh
if [ -d $OUT/.jrun ]; then
    $JRUN --data-root "\$1" image unmount $OUT >/dev/null || exit 1
fi
if findmnt -rn -o TARGET | grep -q "^$OUT\(/\|\$\)"; then
    echo "still mounted under $OUT after jrun image unmount" >&2; exit 1
fi
rm -rf $OUT
EOF
chmod +x "$WORK/fresh.sh"

cleanup() {
    set +e
    for d in "$D" "$DC"; do "$WORK/fresh.sh" "$d" 2>/dev/null; done
    # Mounts left by a failing jrun: ours, so ours to remove (innermost first).
    findmnt -rn -o TARGET | grep "^$WORK/" | sort -r | while read -r m; do
        echo "WARNING: leftover mount $m" >&2; umount "$m"
    done
    rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- checks: one plain run of each tool ----------------------------------------------
source "$ROOT/bench/lib.sh"
q() { printf '%q' "$1"; }
# jrun's outputs are overlay bundles: each tool's AFTER and hyperfine --cleanup
# unmount them with the store they came from.
for t in $tools; do
    case $t in
        tar)
            bench_check "tar -xzf" "rm -rf $OUT && mkdir $OUT" \
                "tar --numeric-owner -xzf $(q "$LAYER") -C $OUT" "rm -rf $OUT" ;;
        umoci)
            bench_check "umoci unpack" "rm -rf $OUT" \
                "umoci unpack --image $(q "$LAYOUT"):latest $OUT" "rm -rf $OUT" ;;
        jrun)
            j="$(q "$JRUN") --data-root"
            if ! "$JRUN" --data-root "$D" image import "$LAYOUT" --name "$REF" >"$WORK/log" 2>&1; then
                echo "FAIL: jrun image import; output:" >&2
                sed 's/^/  | /' "$WORK/log" | tail -40 >&2
                for n in "jrun copy" "jrun overlay cold" "jrun overlay warm"; do bench_fail "$n" import; done
                continue
            fi
            bench_check "jrun copy" "$WORK/fresh.sh $D" "$j $D image unpack --copy $REF $OUT" \
                "$WORK/fresh.sh $D"
            bench_check "jrun overlay cold" \
                "$WORK/fresh.sh $DC && rm -rf $DC && $j $DC image import $(q "$LAYOUT") --name $REF >/dev/null" \
                "$j $DC image unpack $REF $OUT" "$WORK/fresh.sh $DC"
            # This check also leaves the snapshot in $D that the warm runs reuse.
            bench_check "jrun overlay warm" "$WORK/fresh.sh $D" "$j $D image unpack $REF $OUT" \
                "$WORK/fresh.sh $D" ;;
        *) echo "unknown tool: $t" >&2; exit 2 ;;
    esac
done
for n in "jrun copy" "jrun overlay warm"; do CLEANUP[$n]="$WORK/fresh.sh $D"; done
CLEANUP[jrun overlay cold]="$WORK/fresh.sh $DC"

# --- measure ----------------------------------------------------------------------
bench_measure

# --- summary ----------------------------------------------------------------------
{
    echo
    echo "----- jrun bench: unpack-vs-umoci ($(date -u +%Y-%m-%dT%H:%MZ)) -----"
    echo "host: $(uname -r), $(nproc) cpus; outputs on $(stat -fc %T "$WORK") ($dir)"
    echo "umoci: $(umoci --version)"
    echo "tar: $(tar --version | head -1), gzip $(gzip --version | head -1 | awk '{print $2}')"
    [[ $tools == *jrun* ]] && echo "jrun: $(bench_jrun_version)"
    echo "image: $LAYOUT ($manifest)"
    echo "layer: $(($(stat -c %s "$LAYER") / 1048576)) MiB gzip, $(($(gzip -dc "$LAYER" | wc -c) / 1048576)) MiB tar, $(gzip -dc "$LAYER" | tar -t | wc -l) entries"
    echo "hyperfine --warmup $warmup --runs $runs; ratios of medians"
    echo
    bench_table "umoci unpack" umoci "tar -xzf" tar
    echo "-----"
}
exit "$failed"
