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

if [[ ! -x $busybox ]]; then
    apt-get install -y busybox-static >&2 ||
        { apt-get update >&2 && apt-get install -y busybox-static >&2; }
fi

# Inputs that determine the bundle: the binary, this script, the config template.
stamp=$(cat "$busybox" "$self" "$template" | sha256sum | cut -d' ' -f1)
if [[ -f $out/.stamp && $(cat "$out/.stamp") == "$stamp" ]]; then
    exit 0
fi

parent=$(dirname "$out")
mkdir -p "$parent"
tmp=$(mktemp -d "$out.tmp.XXXXXX")       # same filesystem as OUT_DIR
trap 'rm -rf "$tmp"' EXIT
chmod 0755 "$tmp"

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

# --- config + stamp -------------------------------------------------------
install -m 0644 "$template" "$tmp/config.json"
echo "$stamp" >"$tmp/.stamp"
chmod 0644 "$tmp/.stamp"

# --- normalise metadata (ownership, mtimes; -h = the link, not its target) --
chown -hR 0:0 "$tmp"
find "$tmp" -depth -exec touch -h -d @0 {} +

# --- move into place ------------------------------------------------------
# A directory cannot be renamed over a non-empty one, so a stale OUT_DIR is
# first renamed aside; readers see either the old or the new complete bundle
# (or, for an instant, none).
if [[ -e $out ]]; then
    old=$(mktemp -d "$out.old.XXXXXX")
    mv -T "$out" "$old/b"
    mv -T "$tmp" "$out"
    rm -rf "$old"
else
    mv -T "$tmp" "$out"
fi
trap - EXIT
