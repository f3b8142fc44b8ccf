#!/bin/sh
# cgroup v2 scenarios for jrun, run inside the test VM (test-vm/run), where cgroup2 is mounted at
# /sys/fs/cgroup with every controller. Usage: cgroup-scenarios.sh REPO BUNDLE
# Prints "PASS name" / "FAIL name: why" per scenario and exits 1 if any failed.
REPO=$1
BASE=$2
J="$REPO/jrun --root /run/jrun-vm"
WORK=/tmp/vm-scenarios
FAILED=0
mkdir -p "$WORK"

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; FAILED=1; }

# bundle NAME PYTHON-EDIT: a copy of the busybox bundle, config.json edited by a python snippet
# that sees the config as `c`.
bundle() {
    rm -rf "$WORK/$1" && cp -a "$BASE" "$WORK/$1"
    python3 - "$WORK/$1/config.json" "$2" <<'PY'
import json, sys
p, edit = sys.argv[1], sys.argv[2]
c = json.load(open(p))
c["root"]["readonly"] = False
c["linux"]["cgroupsPath"] = "/jrun-vm/" + p.split("/")[-2]
exec(edit)
json.dump(c, open(p, "w"))
PY
    echo "$WORK/$1"
}

cgfile() { cat "/sys/fs/cgroup/jrun-vm/$1/$2" 2>/dev/null; }

# 1. A container under memory.max = 4 MiB starts: the init JVM's memory is not charged to it.
b=$(bundle mem4 'c["process"]["args"]=["true"]; c["linux"]["resources"]={"memory":{"limit":4194304}}')
if $J run --bundle "$b" mem4 >"$WORK/mem4.out" 2>&1; then pass memory-4MiB-starts
else fail memory-4MiB-starts "$(cat "$WORK/mem4.out")"; fi

# 2. A memory hog is OOM-killed and `events` reports it; the container's main process lives on.
#    The hog waits for a file, so that `events` (slow to start in the VM) is watching first.
b=$(bundle oom 'c["process"]["args"]=["sh","-c","while [ ! -e /tmp/go ]; do sleep 1; done; dd if=/dev/zero of=/dev/null bs=64M count=1; sleep 60"]; c["linux"]["resources"]={"memory":{"limit":16777216,"swap":16777216}}')
$J run -d --bundle "$b" oom >"$WORK/oom.run" 2>&1
$J events --interval 1s oom >"$WORK/oom.events" 2>&1 &
evpid=$!
i=0; while [ $i -lt 120 ] && ! grep -q '"type":"stats"' "$WORK/oom.events"; do sleep 1; i=$((i+1)); done
touch "$b/rootfs/tmp/go"
i=0; while [ $i -lt 60 ] && ! grep -q '"type":"oom"' "$WORK/oom.events"; do sleep 1; i=$((i+1)); done
kill $evpid 2>/dev/null
status=$($J state oom 2>/dev/null | sed -n 's/.*"status": "\(.*\)".*/\1/p')
if grep -q '"type":"oom"' "$WORK/oom.events" && [ "$(sed -n 's/^oom_kill //p' /sys/fs/cgroup/jrun-vm/oom/memory.events)" -ge 1 ] \
        && [ "$status" = running ]; then
    pass oom-killed-and-reported
else fail oom-killed-and-reported "status=$status events: $(head -c 300 "$WORK/oom.events"); memory.events: $(cgfile oom memory.events | tr '\n' ' ')"; fi
$J delete -f oom >/dev/null 2>&1

# 3. pids.max stops a fork bomb while the main process stays healthy.
# (the bomb runs in a subshell; the main process then execs, which needs no new pid)
b=$(bundle pids 'c["process"]["args"]=["sh","-c","(i=0; while [ $i -lt 60 ]; do sleep 30 & i=$((i+1)); done) 2>/dev/null; exec sleep 60"]; c["linux"]["resources"]={"pids":{"limit":20}}')
$J run -d --bundle "$b" pids >"$WORK/pids.run" 2>&1
sleep 8
current=$(cgfile pids pids.current)
status=$($J state pids 2>/dev/null | sed -n 's/.*"status": "\(.*\)".*/\1/p')
if [ -n "$current" ] && [ "$current" -le 20 ] && [ "$status" = running ] && [ "$(cgfile pids pids.max)" = 20 ]; then
    pass pids-limit-holds
else fail pids-limit-holds "pids.current=$current status=$status max=$(cgfile pids pids.max)"; fi
$J delete -f pids >/dev/null 2>&1

# 4. cpu.max throttles a busy loop: cpu.stat counts throttled periods.
b=$(bundle cpu 'c["process"]["args"]=["sh","-c","i=0; while [ $i -lt 2000000 ]; do i=$((i+1)); done"]; c["linux"]["resources"]={"cpu":{"quota":10000,"period":100000}}')
$J run -d --bundle "$b" cpu >"$WORK/cpu.run" 2>&1
sleep 5
throttled=$(cgfile cpu cpu.stat | sed -n 's/^nr_throttled //p')
if [ "$(cgfile cpu cpu.max)" = "10000 100000" ] && [ -n "$throttled" ] && [ "$throttled" -gt 0 ]; then pass cpu-max-throttles
else fail cpu-max-throttles "cpu.max=$(cgfile cpu cpu.max) nr_throttled=$throttled"; fi
$J delete -f cpu >/dev/null 2>&1

# 5. io.max on the VM's virtio disk.
dev=""
for d in /sys/block/vd*; do [ -e "$d/dev" ] && dev=$(cat "$d/dev") && break; done
if [ -z "$dev" ]; then fail io-max "no virtio disk in the VM"
else
    maj=${dev%%:*}; min=${dev##*:}
    b=$(bundle io "c['process']['args']=['sleep','30']; c['linux']['resources']={'blockIO':{'throttleReadBpsDevice':[{'major':$maj,'minor':$min,'rate':1048576}]}}")
    $J run -d --bundle "$b" io >"$WORK/io.run" 2>&1
    if cgfile io io.max | grep -q "^$maj:$min rbps=1048576"; then pass io-max-applied
    else fail io-max-applied "io.max=$(cgfile io io.max) run: $(cat "$WORK/io.run")"; fi
    $J delete -f io >/dev/null 2>&1
fi

# 6. update changes a live container's limits.
b=$(bundle upd 'c["process"]["args"]=["sleep","60"]; c["linux"]["resources"]={"memory":{"limit":67108864},"pids":{"limit":50}}')
$J run -d --bundle "$b" upd >"$WORK/upd.run" 2>&1
$J update --memory 32m --pids-limit 30 upd >"$WORK/upd.out" 2>&1
if [ "$(cgfile upd memory.max)" = 33554432 ] && [ "$(cgfile upd pids.max)" = 30 ]; then pass update-live
else fail update-live "memory.max=$(cgfile upd memory.max) pids.max=$(cgfile upd pids.max) out: $(cat "$WORK/upd.out")"; fi
# events --stats of the same live container: runc's shape, with the kernel's numbers in it.
stats=$($J events --stats upd 2>&1 | tr -d ' \n')
case "$stats" in
    *'"type":"stats"'*'"limit":33554432'*'"pids":{"current":1,"limit":30}'*) pass stats-from-v2-files ;;
    *) fail stats-from-v2-files "$stats" ;;
esac
$J delete -f upd >/dev/null 2>&1

# 7. The device program denies a device the rules do not allow, with CAP_MKNOD.
b=$(bundle dev 'c["process"]["args"]=["sh","-c","mknod /dev/probe c 10 200; if (exec 3<>/dev/probe) 2>/dev/null; then echo open=ok; else echo open=denied; fi"]; [c["process"]["capabilities"][k].append("CAP_MKNOD") for k in ("bounding","effective","permitted")]')
out=$($J run --bundle "$b" dev 2>&1)
case "$out" in *open=denied*) pass device-denied ;; *) fail device-denied "$out" ;; esac

# 8. Bad values fail clearly and leave no cgroup.
b=$(bundle bad 'c["process"]["args"]=["true"]; c["linux"]["resources"]={"memory":{"limit":-5}}')
out=$($J run --bundle "$b" bad 2>&1)
case "$out" in *memory.limit*) [ ! -d /sys/fs/cgroup/jrun-vm/bad ] && pass bad-value-refused || fail bad-value-refused "cgroup left" ;;
    *) fail bad-value-refused "$out" ;; esac
b=$(bundle badkey 'c["process"]["args"]=["true"]; c["linux"]["resources"]={"unified":{"nosuch.knob":"1"}}')
out=$($J run --bundle "$b" badkey 2>&1)
case "$out" in *nosuch*) [ ! -d /sys/fs/cgroup/jrun-vm/badkey ] && pass unknown-unified-key-refused || fail unknown-unified-key-refused "cgroup left" ;;
    *) fail unknown-unified-key-refused "$out" ;; esac

rmdir /sys/fs/cgroup/jrun-vm 2>/dev/null
exit $FAILED
