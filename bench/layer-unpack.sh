#!/usr/bin/env bash
# Unpacking one image layer: jrun's LayerApplier against GNU tar and umoci (hyperfine, medians),
# on the same target filesystem. The layer is Debian bookworm minbase + nginx-light + curl
# (mmdebstrap, about 9,300 entries, 180 MiB), gzip -6, cached in .cache/bench.
#   bench/layer-unpack.sh [TARGET_DIR] [RUNS]
# TARGET_DIR: where the trees are written (default /tmp; /dev/shm for tmpfs, without the disk).
# Needs root, mmdebstrap, umoci, hyperfine.
set -euo pipefail
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${1:-/tmp}
RUNS=${2:-10}
[[ $(id -u) == 0 ]] || { echo "run as root" >&2; exit 2; }
for t in mmdebstrap umoci hyperfine; do command -v $t >/dev/null || { echo "needs $t (apt-get install $t)" >&2; exit 2; }; done
C=$ROOT/.cache/bench
mkdir -p "$C"

if [[ ! -f $C/debian-nginx.tar.gz ]]; then
    mmdebstrap --quiet --variant=minbase --include=nginx-light,curl --format=tar bookworm "$C/debian-nginx.tar"
    gzip -6 -c "$C/debian-nginx.tar" > "$C/debian-nginx.tar.gz.part" && mv "$C/debian-nginx.tar.gz.part" "$C/debian-nginx.tar.gz"
    rm -f "$C/debian-nginx.tar"
fi
LAYER=$C/debian-nginx.tar.gz

# The same layer as an OCI image layout, for umoci.
L=$C/layout
if [[ ! -f $L/index.json ]]; then
    rm -rf "$L" && mkdir -p "$L/blobs/sha256"
    put() { local d; d=$(sha256sum "$1" | cut -c1-64); cp "$1" "$L/blobs/sha256/$d"; echo "$d"; }
    ld=$(put "$LAYER"); ls=$(stat -c %s "$LAYER")
    diff=$(gzip -dc "$LAYER" | sha256sum | cut -c1-64)
    printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$diff" > "$C/config.json"
    cd=$(put "$C/config.json"); cs=$(stat -c %s "$C/config.json")
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
        "$cd" "$cs" "$ld" "$ls" > "$C/manifest.json"
    md=$(put "$C/manifest.json"); ms=$(stat -c %s "$C/manifest.json")
    printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"t"}}]}' \
        "$md" "$ms" > "$L/index.json"
    echo '{"imageLayoutVersion":"1.0.0"}' > "$L/oci-layout"
fi

# jrun's classes, and this program compiled once (a source-file launch would compile per run).
(cd "$ROOT" && mvn -B -q -pl linux,image -am install -DskipTests >/dev/null)
CP=$ROOT/linux/target/classes:$ROOT/image/target/classes
mkdir -p "$C/classes"
"$JAVA_HOME/bin/javac" -d "$C/classes" -cp "$CP" "$ROOT/bench/LayerUnpack.java"
JAVA="$JAVA_HOME/bin/java -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -cp $CP:$C/classes"

X=$TARGET/jrun-layer-bench
fresh="rm -rf $X; mkdir -p $X; sync"
hyperfine --runs "$RUNS" --warmup 1 --export-markdown "$C/layer-unpack.md" \
    -n "tar -xzf" --prepare "$fresh" "tar --numeric-owner -xzf $LAYER -C $X" \
    -n "umoci raw unpack" --prepare "rm -rf $X; sync" "umoci raw unpack --image $L:t $X" \
    -n "umoci unpack" --prepare "rm -rf $X; sync" "umoci unpack --image $L:t $X" \
    -n "jrun (JVM per unpack)" --prepare "$fresh" "$JAVA LayerUnpack $LAYER $X/r"
rm -rf "$X"
echo
echo "jrun as a library (one JVM, warm):"
mkdir -p "$X"
$JAVA LayerUnpack "$LAYER" "$X" $((RUNS + 2)) | tail -1
rm -rf "$X"
