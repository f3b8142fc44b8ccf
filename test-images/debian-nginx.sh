#!/usr/bin/env bash
# Build an OCI image layout of Debian bookworm (minbase) with nginx-light and
# curl: a realistic image (thousands of files, hard links, setuid files,
# non-root owners) for image tests and benchmarks.
#
#   test-images/debian-nginx.sh OUT_DIR
#
# OUT_DIR is an OCI image layout with one image, ref.name "latest":
# amd64/linux, Cmd ["nginx","-g","daemon off;"], ExposedPorts 80/tcp, Env
# PATH, one tar+gzip layer. OUT_DIR/.stamp holds the sha256 of the inputs
# (this script and the scripts it uses); if it matches, nothing is rebuilt,
# whatever the mirror now holds. Cold, the build takes a minute or two
# (mmdebstrap downloads ~110 packages); up to date, a few milliseconds.
#
# The packages come from the machine's own apt sources, the way its apt
# fetches them: the source files apt reads (sources.list and
# sources.list.d/*.list|*.sources, one-line or deb822) are handed to
# mmdebstrap as they are, and the host's transport settings (proxies, TLS,
# Check-Valid-Until for snapshot mirrors, ...) apply while building but are
# not left in the image (mmdebstrap runs apt with its own config, not the
# host's /etc/apt/apt.conf.d).
#
# Reproducible: SOURCE_DATE_EPOCH is fixed below, so mmdebstrap's own output
# is, and make-oci-layout packs the tree with sorted entries and clamped
# mtimes; two builds against the same mirror content give the same digests.
#
# The layer is shaped for containers: /dev is empty (the runtime makes its
# /dev), no apt lists or caches, empty /etc/resolv.conf and /etc/hostname (the
# runtime or its user provides them), no logs of the build.
set -euo pipefail
umask 022
export LC_ALL=C

if [[ $# -ne 1 || $1 == -* ]]; then
    echo "usage: $0 OUT_DIR" >&2
    exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self=$here/$(basename "${BASH_SOURCE[0]}")
suite=bookworm
packages=nginx-light,curl
# 2025-01-01T00:00:00Z. Any fixed value does; newer mtimes are clamped to it.
export SOURCE_DATE_EPOCH=1735689600

source "$here/lib/build.sh"
tib_need mmdebstrap:/usr/bin/mmdebstrap
[[ $(id -u) == 0 ]] || { echo "$0: run as root (mmdebstrap must create files owned by others)" >&2; exit 2; }
tib_begin "$1" "$self" "$here/make-oci-layout"

# --- the host's apt sources ---------------------------------------------------
eval "$(apt-config shell sourcelist Dir::Etc::sourcelist/f sourceparts Dir::Etc::sourceparts/d \
    netrc Dir::Etc::netrc/f netrcparts Dir::Etc::netrcparts/d)"
sources=()
# apt reads sources.list, then sources.list.d/*.list and *.sources in name
# order; a file with nothing but comments would only make mmdebstrap warn.
for f in "$sourcelist" "$sourceparts"*.list "$sourceparts"*.sources; do
    [[ -f $f ]] && grep -q '^[[:space:]]*[^#[:space:]]' "$f" && sources+=("$f")
done
((${#sources[@]})) || { echo "$0: no apt sources in $sourcelist or $sourceparts" >&2; exit 1; }
echo "debian-nginx: apt sources: ${sources[*]}" >&2

# --- the host's transport settings, for the build only ---------------------------
# Only how to reach the mirror is copied (not what to fetch or how to install:
# the host's dpkg hooks and cache settings have no business in the image).
# The file goes into the chroot's apt.conf.d, which mmdebstrap's apt reads
# for every call, and is removed again by the last customize hook. Auth files
# are referred to by their host paths, never copied.
aptconf=$TIB_WORK/host-acquire.conf
apt-config dump |
    grep -E '^Acquire::((http|https|ftp|socks)::|(Check-Valid-Until|Check-Date|Max-ValidTime|Min-ValidTime|Retries|ForceIPv4|ForceIPv6|AllowInsecureRepositories|AllowWeakRepositories|AllowDowngradeToInsecureRepositories) )' \
    >"$aptconf" || true
[[ -e $netrc ]] && printf 'Dir::Etc::netrc "%s";\n' "$netrc" >>"$aptconf"
[[ -d $netrcparts ]] && printf 'Dir::Etc::netrcparts "%s";\n' "$netrcparts" >>"$aptconf"
chmod 0600 "$aptconf"
hostconf=etc/apt/apt.conf.d/00jrun-host-acquire

# --- mmdebstrap ---------------------------------------------------------------
# unshare mode run as root keeps correct ownership but gives mmdebstrap a
# private mount namespace: if it is killed, its /proc, /sys and /dev mounts
# in the chroot die with it, and removing the half-built tree is safe.
root=$TIB_WORK/rootfs
start=$SECONDS
mmdebstrap --mode=unshare --variant=minbase --include="$packages" --format=directory \
    --setup-hook="install -m 0600 ${aptconf@Q} \"\$1/$hostconf\"" \
    --customize-hook="rm -f \"\$1/$hostconf\"" \
    --customize-hook='for f in resolv.conf hostname; do : >"$1/etc/$f"; chmod 0644 "$1/etc/$f"; done' \
    --customize-hook='rm -f "$1"/var/cache/debconf/*-old "$1"/var/lib/dpkg/*-old' \
    "$suite" "$root" "${sources[@]}"
echo "debian-nginx: mmdebstrap took $((SECONDS - start)) s" >&2

# Device nodes that mmdebstrap made for the chroot's own use.
find "$root/dev" -mindepth 1 -delete
# Nothing of the build's apt setup must remain.
[[ ! -e $root/$hostconf ]] || { echo "$0: $hostconf left in the rootfs" >&2; exit 1; }

"$here/make-oci-layout" --source-date-epoch "$SOURCE_DATE_EPOCH" \
    --created-by "test-images/debian-nginx.sh: mmdebstrap --variant=minbase --include=$packages $suite" \
    --expose 80/tcp --cmd nginx --cmd -g --cmd 'daemon off;' \
    "$TIB_TMP" "$root" >&2
tib_finish
