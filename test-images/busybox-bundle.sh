#!/usr/bin/env bash
# Build a reproducible OCI bundle (rootfs + config.json) from Debian's
# busybox-static.
#
#   test-images/busybox-bundle.sh OUT_DIR
#
# OUT_DIR/rootfs       busybox, one symlink per applet in bin/, minimal /etc
# OUT_DIR/config.json  copy of busybox-config.json (`runc spec` output with
#                      "terminal": false, args ["sh"])
# OUT_DIR/.stamp       sha256 of the inputs; if it matches, nothing is rebuilt
#                      (lib/build.sh: stamp, lock, atomic move into place)
#
# All files are owned by 0:0 and have mtime 0, so two builds from the same
# busybox binary are byte-identical (check with
# `tar --sort=name --numeric-owner -C OUT_DIR -cf - . | sha256sum`).
set -euo pipefail
umask 022
export LC_ALL=C

if [[ $# -ne 1 || $1 == -* ]]; then
    echo "usage: $0 OUT_DIR" >&2
    exit 2
fi
out=${1%/}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self=$here/$(basename "${BASH_SOURCE[0]}")
template=$here/busybox-config.json
busybox=/bin/busybox

source "$here/lib/build.sh"
tib_need busybox-static:$busybox

# Inputs that determine the bundle: the binary, this script, the config
# template (and lib/build.sh, which tib_stamp adds).
tib_begin "$out" "$busybox" "$self" "$template"
tmp=$TIB_TMP

# --- rootfs ---------------------------------------------------------------
r=$tmp/rootfs
mkdir -p "$r"/{bin,sbin,usr/bin,dev,proc,sys,tmp,etc,root,run,var}
chmod 1777 "$r/tmp"
chmod 0700 "$r/root"
install -m 0755 "$busybox" "$r/bin/busybox"
for applet in $("$busybox" --list); do
    [[ $applet == busybox ]] && continue   # never replace the binary itself
    ln -s busybox "$r/bin/$applet"
done
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
    'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$r/etc/passwd"
printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$r/etc/group"
chmod 0644 "$r/etc/passwd" "$r/etc/group"

# --- config ----------------------------------------------------------------
install -m 0644 "$template" "$tmp/config.json"

# --- normalise metadata (ownership, mtimes; -h = the link, not its target) --
chown -hR 0:0 "$tmp"
find "$tmp" -depth -exec touch -h -d @0 {} +

# --- stamp, move into place ------------------------------------------------
tib_finish
