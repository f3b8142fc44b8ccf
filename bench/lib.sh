# shellcheck shell=bash
# Shared pieces of the hyperfine benchmarks (sourced, not run): check each
# tool once, measure the ones that work, print medians and ratios.
#
#   WORK=$(mktemp -d ...)          # scratch dir, set before sourcing
#   source "$ROOT/bench/lib.sh"
#   bench_check NAME PREPARE COMMAND [AFTER]   # once, outside hyperfine
#   CLEANUP[NAME]=...                           # optional hyperfine --cleanup
#   bench_measure                               # hyperfine --warmup W --runs R
#   bench_table BASE1 LABEL1 BASE2 LABEL2       # medians, ratios to BASE1 and BASE2
#
# A tool whose check fails is reported (its output) and marked FAILED; the
# others are still measured, and the script is meant to `exit "$failed"`.

declare -A STATUS CMD PREP CLEANUP AFTER
names=()
failed=0

# bench_check NAME PREPARE COMMAND [AFTER]: run PREPARE, COMMAND and AFTER
# (shell strings) once; on success register NAME for measuring (AFTER then
# runs after its hyperfine too), else print the output and mark it failed.
bench_check() {
    local name=$1 prep=$2 cmd=$3 after=${4:-true}
    echo "=== check: $name" >&2
    names+=("$name")
    AFTER[$name]=$after
    if ! sh -c "$prep" >"$WORK/log" 2>&1 || ! sh -c "$cmd" >>"$WORK/log" 2>&1 ||
        ! sh -c "$after" >>"$WORK/log" 2>&1; then
        echo "FAIL: $name; output:" >&2
        sed 's/^/  | /' "$WORK/log" | tail -40 >&2
        STATUS[$name]="FAILED (check)"; failed=1
        sh -c "$after" >/dev/null 2>&1
        return 0
    fi
    STATUS[$name]=ok; CMD[$name]=$cmd; PREP[$name]=$prep
}

# bench_fail NAME WHY: mark NAME failed without running it.
bench_fail() {
    [[ -v STATUS[$1] ]] || names+=("$1")
    STATUS[$1]="FAILED ($2)"; failed=1
}

# bench_measure: hyperfine for every NAME that passed its check; needs
# $warmup and $runs. Results in $WORK/r<index>.json.
bench_measure() {
    local i=0 n extra
    for n in "${names[@]}"; do
        i=$((i + 1))
        [[ ${STATUS[$n]} == ok ]] || continue
        echo "=== $n" >&2
        extra=()
        [[ -n ${CLEANUP[$n]:-} ]] && extra=(--cleanup "${CLEANUP[$n]}")
        if ! hyperfine --warmup "$warmup" --runs "$runs" --command-name "$n" \
            --prepare "${PREP[$n]}" "${extra[@]}" \
            --export-json "$WORK/r$i.json" "${CMD[$n]}" >&2; then
            STATUS[$n]="FAILED (hyperfine)"; failed=1; rm -f "$WORK/r$i.json"
        fi
        sh -c "${AFTER[$n]}" >/dev/null 2>&1 || true
    done
}

# bench_ms INDEX FIELD: a hyperfine statistic (median, mean, ...) in ms.
bench_ms() { jq -r ".results[0].$2 * 1000" "$WORK/r$1.json"; }

# bench_median NAME: NAME's median in ms, or nothing if it was not measured.
bench_median() {
    local k=0 m
    for m in "${names[@]}"; do
        k=$((k + 1))
        [[ $m == "$1" && -f $WORK/r$k.json ]] && { bench_ms $k median; return; }
    done
}

# bench_ratio A B: A/B as "1.23x", or n/a without B.
bench_ratio() {
    if [[ -n $2 ]]; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; else echo n/a; fi
}

# bench_jrun_version: the commit (and whether the tree differs) and the JDK.
bench_jrun_version() {
    local rev
    if rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null); then
        git -C "$ROOT" diff --quiet HEAD 2>/dev/null || rev+=" + uncommitted changes"
    else rev="no commit yet"; fi
    echo "jrun ($rev), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
}

# bench_table BASE1 LABEL1 BASE2 LABEL2: one line per NAME (median, mean,
# stddev, min in ms; ratios of medians to BASE1's and BASE2's), then the status.
bench_table() {
    local b1 b2 k=0 n med st=()
    b1=$(bench_median "$1")
    b2=$(bench_median "$3")
    printf '  %-18s %9s %9s %8s %9s %8s %8s\n' tool median mean stddev min "/$2" "/$4"
    for n in "${names[@]}"; do
        k=$((k + 1))
        if [[ ! -f $WORK/r$k.json ]]; then
            printf '  %-18s %s\n' "$n" "${STATUS[$n]}"; continue
        fi
        med=$(bench_ms $k median)
        printf '  %-18s %9.1f %9.1f %8.1f %9.1f %8s %8s\n' "$n" "$med" "$(bench_ms $k mean)" \
            "$(bench_ms $k stddev)" "$(bench_ms $k min)" "$(bench_ratio "$med" "$b1")" "$(bench_ratio "$med" "$b2")"
    done
    echo "  (times in ms)"
    for n in "${names[@]}"; do st+=("$n ${STATUS[$n]}"); done
    echo
    printf -v n '%s, ' "${st[@]}"
    echo "status: ${n%, }"
}
