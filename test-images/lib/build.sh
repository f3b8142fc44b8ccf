# shellcheck shell=bash
# Shared plumbing of the test-image scripts (sourced, not run):
#
#   source "$here/lib/build.sh"
#   tib_need busybox-static:/bin/busybox skopeo:/usr/bin/skopeo   # apt-get install what is missing
#   tib_begin "$out" "$self" other inputs...   # exits 0 at once if OUT is up to date
#   ... build into "$TIB_TMP" (a fresh empty directory beside OUT), with
#       scratch files in "$TIB_WORK" (removed at the end) ...
#   tib_finish                                  # writes the stamp, moves TIB_TMP into place
#
# The stamp is the sha256 of the inputs' contents (this file always included).
# It lives in OUT/.stamp, so it moves into place together with what it
# describes: an OUT with a matching stamp is complete. Builds of one OUT are
# serialised with flock(1) on OUT.lock, so two test JVMs asking at once build
# it once; the second waits and then finds it up to date.

# tib_need PKG:PATH...: install the Debian packages whose PATH is missing.
tib_need() {
    local missing=() pp
    for pp in "$@"; do
        [[ -e ${pp#*:} ]] || missing+=("${pp%%:*}")
    done
    ((${#missing[@]})) || return 0
    echo "installing ${missing[*]}" >&2
    apt-get install -y "${missing[@]}" >&2 ||
        { apt-get update >&2 && apt-get install -y "${missing[@]}" >&2; }
}

# tib_stamp FILE...: the sha256 of the files' contents, in the given order.
tib_stamp() {
    cat "$@" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1
}

# tib_begin OUT INPUT...: take OUT's lock; exit 0 if OUT/.stamp matches the
# inputs; otherwise make TIB_TMP and TIB_WORK inside one OUT.tmp.XXXXXX (same
# filesystem as OUT, so the final move is a rename), removed on any exit.
tib_begin() {
    TIB_OUT=${1%/}
    shift
    TIB_STAMP=$(tib_stamp "$@")
    mkdir -p "$(dirname "$TIB_OUT")"
    exec {TIB_LOCK_FD}>"$TIB_OUT.lock"
    flock "$TIB_LOCK_FD"
    if [[ -f $TIB_OUT/.stamp && $(<"$TIB_OUT/.stamp") == "$TIB_STAMP" ]]; then
        exit 0
    fi
    # Under the lock no other build of OUT runs: leftovers of a killed one go.
    rm -rf "$TIB_OUT".tmp.?????? "$TIB_OUT".old.??????
    TIB_DIR=$(mktemp -d "$TIB_OUT.tmp.XXXXXX")
    # shellcheck disable=SC2064  # expand now: the path is fixed
    trap "rm -rf '$TIB_DIR'" EXIT
    TIB_TMP=$TIB_DIR/out TIB_WORK=$TIB_DIR/work
    chmod 0755 "$TIB_DIR"   # mktemp made it 0700; tools that drop privileges (apt's _apt) must get in
    mkdir -m 0755 "$TIB_TMP" "$TIB_WORK"
}

# tib_finish: write the stamp into TIB_TMP and put TIB_TMP in OUT's place.
# A directory cannot be renamed over a non-empty one, so a stale OUT is first
# renamed aside: readers see the old or the new complete OUT (or, for an
# instant, none), never a half-built one.
tib_finish() {
    echo "$TIB_STAMP" >"$TIB_TMP/.stamp"
    chmod 0644 "$TIB_TMP/.stamp"
    touch -d @0 "$TIB_TMP/.stamp" "$TIB_TMP"
    if [[ -e $TIB_OUT ]]; then
        local old
        old=$(mktemp -d "$TIB_OUT.old.XXXXXX")
        mv -T "$TIB_OUT" "$old/b"
        mv -T "$TIB_TMP" "$TIB_OUT"
        rm -rf "$old"
    else
        mv -T "$TIB_TMP" "$TIB_OUT"
    fi
    rm -rf "$TIB_DIR"
    trap - EXIT
}
