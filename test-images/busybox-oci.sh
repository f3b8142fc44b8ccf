#!/usr/bin/env bash
# Build a reproducible OCI image layout of the busybox rootfs.
#
#   test-images/busybox-oci.sh OUT_DIR
#
# OUT_DIR is an OCI image layout (oci-layout, index.json, blobs/sha256/) with
# one image, ref.name "latest": amd64/linux, Cmd ["sh"], Env PATH, one
# tar+gzip layer holding the rootfs of busybox-bundle.sh (the same tree, so
# bundle tests and image tests run the same files). OUT_DIR/.stamp holds the
# sha256 of the inputs; if it matches, nothing is rebuilt.
#
# Two builds from the same busybox binary give the same digests (all files
# 0:0, mtime 0; see make-oci-layout for how the layer is packed).
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
tib_need busybox-static:$busybox
tib_begin "$1" "$busybox" "$self" "$here/busybox-bundle.sh" "$here/busybox-config.json" \
    "$here/make-oci-layout"

"$here/busybox-bundle.sh" "$TIB_WORK/bundle"
"$here/make-oci-layout" --source-date-epoch 0 --created-by "test-images/busybox-oci.sh" \
    --cmd sh "$TIB_TMP" "$TIB_WORK/bundle/rootfs" >&2
tib_finish
