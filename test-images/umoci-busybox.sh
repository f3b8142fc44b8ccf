#!/usr/bin/env bash
# Build an OCI image layout of the busybox rootfs written by umoci itself,
# so that tests check that jrun reads what a tool nobody here wrote produces.
#
#   test-images/umoci-busybox.sh OUT_DIR
#
# OUT_DIR is the layout; its image "latest" holds the rootfs of
# busybox-bundle.sh as one layer made by `umoci repack`, and a config set by
# `umoci config` (Cmd ["sh"], Env PATH, amd64/linux). OUT_DIR/.stamp holds
# the sha256 of the inputs; if it matches, nothing is rebuilt.
#
# Reproducible: umoci stamps "created" times (config and history) with the
# clock unless told otherwise, and packs the mtimes it finds on disk; both are
# pinned to the epoch here, so two builds with the same busybox binary and
# umoci version give the same digests.
set -euo pipefail
umask 022
export LC_ALL=C

if [[ $# -ne 1 || $1 == -* ]]; then
    echo "usage: $0 OUT_DIR" >&2
    exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self=$here/$(basename "${BASH_SOURCE[0]}")
busybox=/bin/busybox

source "$here/lib/build.sh"
tib_need busybox-static:$busybox umoci:/usr/bin/umoci
# umoci's own version is an input: another umoci may write other bytes.
tib_begin "$1" "$busybox" "$self" "$here/busybox-bundle.sh" "$here/busybox-config.json" \
    /usr/bin/umoci

epoch=1970-01-01T00:00:00Z
layout=$TIB_TMP
img=$layout:latest
ub=$TIB_WORK/umoci-bundle

"$here/busybox-bundle.sh" "$TIB_WORK/bundle"

# umoci init wants to create the layout directory itself.
rmdir "$layout"
umoci init --layout "$layout"
umoci new --image "$img"
umoci unpack --image "$img" "$ub"

# The busybox tree replaces the empty rootfs. repack records what it finds,
# mtimes included, so every entry (the rootfs directory itself too) gets the
# epoch; ownership is 0:0 already (busybox-bundle.sh).
cp -a "$TIB_WORK/bundle/rootfs/." "$ub/rootfs/"
chown -hR 0:0 "$ub/rootfs"
find "$ub/rootfs" -depth -exec touch -h -d @0 {} +

umoci repack --image "$img" \
    --history.created "$epoch" --history.created_by "test-images/umoci-busybox.sh" "$ub"
umoci config --image "$img" --created "$epoch" --no-history \
    --architecture amd64 --os linux \
    --config.env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --config.cmd sh
# Every step above wrote a new manifest and config; drop the unreferenced ones.
umoci gc --layout "$layout"

find "$layout" -exec touch -h -d @0 {} +
tib_finish
