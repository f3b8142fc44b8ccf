#!/usr/bin/env bash
# Per-container latency of `run` from one long-lived JVM (jrun as a library), /bin/true on the
# busybox bundle. Compare with bench/run-vs-runc.sh, where every run also starts the CLI's JVM.
#   bench/library-run.sh [COUNT]
set -euo pipefail
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COUNT=${1:-20}
[[ $(id -u) == 0 ]] || { echo "run as root" >&2; exit 2; }
[[ -f $ROOT/cli/target/jrun.jar ]] || "$ROOT/jrun" --version >/dev/null
"$ROOT/test-images/busybox-bundle.sh" "$ROOT/.cache/busybox-bundle" >/dev/null
B=$ROOT/.cache/library-bench-bundle
rm -rf "$B" && cp -a "$ROOT/.cache/busybox-bundle" "$B"
python3 - "$B/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["process"]["args"] = ["/bin/true"]
json.dump(c, open(sys.argv[1], "w"))
PY
# The same JVM flags as ./jrun, so the container init it starts uses the same AOT cache.
exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:-UsePerfData -Djdk.reflect.useNativeAccessorOnly=true \
    --enable-native-access=ALL-UNNAMED -Djrun.aot="$ROOT/cli/target/jrun.aot" \
    -cp "$ROOT/cli/target/jrun.jar" "$ROOT/bench/LibraryRun.java" "$B" "$COUNT"
