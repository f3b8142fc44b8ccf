#!/usr/bin/env bash
# Compare `jrun` with runc and crun on the busybox bundle running /bin/true.
#
#   bench/run-vs-runc.sh [--runtimes "runc crun jrun"] [--runs 30] [--warmup 3]
#
# For each runtime it measures, with hyperfine:
#   run  : RT --root STATE run --bundle B ID
#   seq  : RT --root STATE create --bundle B ID && RT start ID && RT delete -f ID
# plus the peak RSS of one `run` under /usr/bin/time -v (for jrun that is the
# CLI JVM and the processes it waits for, as measured).
# Ends with a summary block meant to be pasted into a report. Exits non-zero if
# any runtime fails to run the container. Needs root. Leaves nothing behind
# except the cached bundle in $ROOT/.cache/bench-bundle.
set -euo pipefail
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

runtimes="runc crun jrun" runs=30 warmup=3
while (($#)); do
    case $1 in
        --runtimes) runtimes=$2; shift 2 ;;
        --runtimes=*) runtimes=${1#*=}; shift ;;
        --runs) runs=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ $(id -u) == 0 ]] || { echo "run as root" >&2; exit 2; }

# --- tools ------------------------------------------------------------------
missing=()
for pf in hyperfine:/usr/bin/hyperfine runc:/usr/sbin/runc crun:/usr/bin/crun \
    busybox-static:/bin/busybox time:/usr/bin/time; do
    [[ -x ${pf#*:} ]] || missing+=("${pf%%:*}")
done
if ((${#missing[@]})); then
    apt-get install -y "${missing[@]}" >&2 ||
        { apt-get update >&2 && apt-get install -y "${missing[@]}" >&2; }
fi

declare -A BIN
selected=()
for rt in $runtimes; do
    case $rt in
        runc | crun) BIN[$rt]=$(command -v "$rt") ;;
        jrun) BIN[$rt]=$ROOT/jrun ;;
        *) echo "unknown runtime: $rt" >&2; exit 2 ;;
    esac
    if [[ ! -x ${BIN[$rt]} ]]; then
        echo "WARNING: ${BIN[$rt]} not found or not executable; skipping $rt" >&2
        continue
    fi
    selected+=("$rt")
done
((${#selected[@]})) || { echo "no runtime to benchmark" >&2; exit 2; }

# --- scratch space and cleanup ------------------------------------------------
WORK=$(mktemp -d /tmp/jrun-bench.XXXXXX)
P=jb$$ # prefix of every container id (and so of runc/crun cgroup names)

# reap.sh BIN STATE: `delete -f` every container still in STATE; prints the ids.
cat >"$WORK/reap.sh" <<'EOF'
#!/bin/sh
{ "$1" --root "$2" list -q 2>/dev/null; ls -1 "$2" 2>/dev/null; } | sort -u |
while read -r id; do
    "$1" --root "$2" delete -f "$id" >/dev/null 2>&1 && echo "$id"
done
exit 0
EOF
chmod +x "$WORK/reap.sh"

cleanup() {
    set +e
    for rt in "${selected[@]}"; do
        [[ -d $WORK/state-$rt ]] && in_env "$rt" "$WORK/reap.sh" "${BIN[$rt]}" "$WORK/state-$rt" >/dev/null
    done
    # Empty cgroups named after our ids would be a runtime bug; report and remove.
    find /sys/fs/cgroup -maxdepth 3 -type d -name "$P-*" 2>/dev/null | sort -r |
        while read -r cg; do echo "WARNING: leftover cgroup $cg" >&2; rmdir "$cg"; done
    rm -rf "$WORK"
}
# crun 1.8 refuses to start anything on a hybrid cgroup host whose cgroup2
# hierarchy has controllers ("cgroups in hybrid mode not supported, drop all
# controllers from cgroupv2"), even with --cgroup-manager=disabled. On such a
# host crun's commands (incl. the whole hyperfine process, so there is no
# per-iteration cost) run in a private mount namespace where that file is
# masked by /dev/null. The host is not changed; runc and jrun are not wrapped.
ctl=/sys/fs/cgroup/unified/cgroup.controllers
crun_mask=false
[[ -n $(cat "$ctl" 2>/dev/null) ]] && crun_mask=true
in_env() { # RT CMD...: run CMD the way RT must be run on this host
    local rt=$1; shift
    if [[ $rt == crun && $crun_mask == true ]]; then
        unshare -m --propagation private \
            sh -c 'mount --bind /dev/null "$0" && exec "$@"' "$ctl" "$@"
    else
        "$@"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- bundle ---------------------------------------------------------------
"$ROOT/test-images/busybox-bundle.sh" "$ROOT/.cache/bench-bundle"
B=$WORK/bundle
cp -a "$ROOT/.cache/bench-bundle" "$B"
python3 - "$B/config.json" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"] = ["/bin/true"]
c["process"]["terminal"] = False
json.dump(c, open(sys.argv[1], "w"), indent="\t")
EOF

# --- measure ----------------------------------------------------------------
declare -A RSS STATUS
failed=0
for rt in "${selected[@]}"; do
    state=$WORK/state-$rt
    mkdir -p "$state"
    printf -v rtq '%q --root %q' "${BIN[$rt]}" "$state"
    printf -v bq '%q' "$B"
    reap="$WORK/reap.sh ${BIN[$rt]@Q} ${state@Q}"
    echo "=== $rt: ${BIN[$rt]}" >&2

    # One plain run: proves the runtime works and gives the peak RSS.
    if ! in_env "$rt" /usr/bin/time -v -o "$WORK/time-$rt" \
        "${BIN[$rt]}" --root "$state" run --bundle "$B" "$P-check" \
        </dev/null >"$WORK/log-$rt" 2>&1; then
        echo "FAIL: $rt run exited non-zero; output:" >&2
        sed 's/^/  | /' "$WORK/log-$rt" >&2
        grep -E 'Command (exited|terminated)' "$WORK/time-$rt" | sed 's/^/  | /' >&2
        STATUS[$rt]="FAILED (run)"; failed=1; continue
    fi
    RSS[$rt]=$(awk -F': ' '/Maximum resident set size/{print $2}' "$WORK/time-$rt")
    left=$(in_env "$rt" "$WORK/reap.sh" "${BIN[$rt]}" "$state")
    [[ -z $left ]] || echo "WARNING: $rt run left containers behind: $left" >&2

    # bash as hyperfine's shell for $$/$RANDOM: unique ids in every iteration
    # (hyperfine subtracts the shell's own start-up time).
    fails=()
    if ! in_env "$rt" hyperfine --shell=bash --warmup "$warmup" --runs "$runs" \
        --command-name "$rt run" --cleanup "$reap" \
        --export-json "$WORK/run-$rt.json" \
        "$rtq run --bundle $bq $P-r-\$\$-\$RANDOM" >&2; then
        fails+=("hyperfine run"); rm -f "$WORK/run-$rt.json"
    fi
    if ! in_env "$rt" hyperfine --shell=bash --warmup "$warmup" --runs "$runs" \
        --command-name "$rt create+start+delete" --cleanup "$reap" \
        --export-json "$WORK/seq-$rt.json" \
        "id=$P-s-\$\$-\$RANDOM; $rtq create --bundle $bq \$id && $rtq start \$id && $rtq delete -f \$id" >&2; then
        fails+=("hyperfine create+start+delete"); rm -f "$WORK/seq-$rt.json"
    fi
    if ((${#fails[@]})); then
        STATUS[$rt]="FAILED ($(IFS=,; echo "${fails[*]}"))"; failed=1
    else
        STATUS[$rt]=ok
    fi
    left=$(in_env "$rt" "$WORK/reap.sh" "${BIN[$rt]}" "$state")
    [[ -z $left ]] || echo "WARNING: $rt left containers behind: $(echo $left)" >&2
done

# --- summary ----------------------------------------------------------------
ver() { case $1 in
    jrun) local rev
        if rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null); then
            git -C "$ROOT" diff --quiet HEAD 2>/dev/null || rev+=" + uncommitted changes"
        else rev="no commit yet"; fi
        echo "jrun ($rev), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" ;;
    *) "${BIN[$1]}" --version 2>/dev/null | head -1 ;;
    esac; }
{
    echo
    echo "----- jrun bench: run-vs-runc ($(date -u +%Y-%m-%dT%H:%MZ)) -----"
    echo "host: $(uname -r), $(nproc) cpus, cgroup fs $(stat -fc %T /sys/fs/cgroup)$([[ $crun_mask == true && -v BIN[crun] ]] && echo ', crun run with cgroup2 controllers masked (hybrid host)')"
    for rt in "${selected[@]}"; do echo "$rt: $(ver "$rt")"; done
    echo "bundle: busybox /bin/true, hyperfine --warmup $warmup --runs $runs"
    args=()
    for rt in "${selected[@]}"; do args+=("$rt=${STATUS[$rt]}|${RSS[$rt]:-}"); done
    python3 - "$WORK" "${args[@]}" <<'EOF'
import json, os, sys
work = sys.argv[1]
rows = [a.split("=", 1) for a in sys.argv[2:]]
info = {rt: s.split("|") for rt, s in rows}
def load(kind, rt):
    p = os.path.join(work, f"{kind}-{rt}.json")
    try: r = json.load(open(p))["results"][0]
    except (OSError, ValueError, KeyError, IndexError): return None
    return {k: r[k] * 1000 for k in ("median", "mean", "stddev", "min", "max")}
for kind, title in (("run", "run /bin/true"), ("seq", "create+start+delete /bin/true")):
    res = {rt: load(kind, rt) for rt, _ in rows}
    base = (res.get("runc") or {}).get("median")
    print(f"\n{title} [ms]")
    print(f"  {'runtime':8} {'median':>8} {'mean':>8} {'stddev':>7} {'min':>8} {'ratio':>6}")
    for rt, _ in rows:
        r = res[rt]
        if r is None:
            print(f"  {rt:8} {info[rt][0]}"); continue
        ratio = f"{r['median'] / base:.2f}x" if base else "n/a"
        print(f"  {rt:8} {r['median']:8.1f} {r['mean']:8.1f} {r['stddev']:7.1f} {r['min']:8.1f} {ratio:>6}")
print("\npeak RSS of one `run` (/usr/bin/time -v, max over the CLI and the children it waits for)")
for rt, _ in rows:
    rss = info[rt][1]
    print(f"  {rt:8} " + (f"{int(rss) / 1024:8.1f} MiB" if rss else info[rt][0]))
status = [f"{rt} {info[rt][0]}" for rt, _ in rows]
print("\nstatus: " + ", ".join(status))
EOF
    echo "-----"
}
exit "$failed"
