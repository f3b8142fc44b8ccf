package dev.jrun.runtime.resources;

import dev.jrun.cgroups.CgroupSetting;
import dev.jrun.runtime.JrunException;
import dev.jrun.runtime.spec.BlockIO;
import dev.jrun.runtime.spec.Cpu;
import dev.jrun.runtime.spec.HugepageLimit;
import dev.jrun.runtime.spec.Memory;
import dev.jrun.runtime.spec.Resources;
import dev.jrun.runtime.spec.ThrottleDevice;
import dev.jrun.runtime.spec.WeightDevice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * linux.resources as cgroup v2 file writes, the way runc (libcontainer/cgroups/fs2) maps them:
 * shares to cpu.weight, the v1 memory+swap total to memory.swap.max, blkio weights to
 * io.weight, throttles to io.max. Values v2 cannot express are errors, never dropped. Device
 * rules are not here: v2 enforces them with a BPF program, not files.
 */
public final class ResourceMapper {
    private ResourceMapper() {}

    private static final String R = "$.linux.resources";
    private static final Pattern CPUSET = Pattern.compile("^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$");
    private static final Pattern PAGE_SIZE = Pattern.compile("^([0-9]+)(KB|MB|GB)$");

    public static List<CgroupSetting> map(Resources r) {
        List<CgroupSetting> out = new ArrayList<>();
        if (r == null) return out;
        memory(r.memory(), out);
        cpu(r.cpu(), out);
        if (r.pids() != null && r.pids().limit() != null && r.pids().limit() != 0) {
            // runc: 0 is "not set", a negative value is "max"
            long l = r.pids().limit();
            out.add(new CgroupSetting("pids", "pids.max", l < 0 ? "max" : Long.toString(l), R + ".pids.limit"));
        }
        blockIO(r.blockIO(), out);
        if (r.hugepageLimits() != null) {
            for (int i = 0; i < r.hugepageLimits().size(); i++) hugepage(r.hugepageLimits().get(i), i, out);
        }
        if (r.network() != null && (r.network().classID() != null
                || (r.network().priorities() != null && !r.network().priorities().isEmpty()))) {
            throw new JrunException("config.json " + R + ".network: net_cls/net_prio do not exist in cgroup v2");
        }
        if (r.unified() != null) {
            for (Map.Entry<String, String> e : r.unified().entrySet()) out.add(unified(e.getKey(), e.getValue()));
        }
        return out;
    }

    private static void memory(Memory m, List<CgroupSetting> out) {
        if (m == null) return;
        String at = R + ".memory";
        long limit = m.limit() == null ? 0 : m.limit();
        if (m.limit() != null) {
            if (limit < -1) throw bad(at + ".limit", "must be -1 (unlimited) or a number of bytes, got " + limit);
            if (limit != 0) out.add(new CgroupSetting("memory", "memory.max", max(limit), at + ".limit"));
        }
        if (m.reservation() != null) {
            long v = m.reservation();
            if (v < -1) throw bad(at + ".reservation", "must be -1 or a number of bytes, got " + v);
            if (v != 0) out.add(new CgroupSetting("memory", "memory.low", max(v), at + ".reservation"));
        }
        if (m.swap() != null) {
            long swap = m.swap();
            long v2;
            // runc's ConvertMemorySwapToCgroupV2Value: v1's swap is memory+swap, v2's is swap alone.
            if (limit == -1 && swap == 0) v2 = -1;
            else if (swap == -1 || swap == 0) v2 = swap;
            else if (limit == 0 || limit == -1) throw bad(at + ".swap", "a swap limit needs a memory limit");
            else if (swap < limit) throw bad(at + ".swap", "memory+swap (" + swap + ") must be >= the memory limit (" + limit + ")");
            else v2 = swap - limit;
            if (!(swap == 0 && limit != -1)) out.add(new CgroupSetting("memory", "memory.swap.max", max(v2), at + ".swap"));
        }
        if (m.swappiness() != null && m.swappiness() != -1) {
            throw bad(at + ".swappiness", "cgroup v2 has no per-cgroup swappiness");
        }
        if (Boolean.TRUE.equals(m.disableOOMKiller())) {
            throw bad(at + ".disableOOMKiller", "cgroup v2 cannot disable the OOM killer");
        }
    }

    private static void cpu(Cpu c, List<CgroupSetting> out) {
        if (c == null) return;
        String at = R + ".cpu";
        if (c.shares() != null && c.shares() != 0) {
            long shares = c.shares();
            if (shares < 2 || shares > 262144) throw bad(at + ".shares", "must be between 2 and 262144, got " + shares);
            // runc's ConvertCPUSharesToCgroupV2Value: [2, 262144] onto [1, 10000].
            long weight = 1 + ((shares - 2) * 9999) / 262142;
            out.add(new CgroupSetting("cpu", "cpu.weight", Long.toString(weight), at + ".shares"));
        }
        if ((c.quota() != null && c.quota() != 0) || (c.period() != null && c.period() != 0)) { // runc: 0 is "not set"
            long period = c.period() == null || c.period() == 0 ? 100_000 : c.period();
            if (period < 1000 || period > 1_000_000) throw bad(at + ".period", "must be between 1000 and 1000000 µs, got " + period);
            long quota = c.quota() == null ? -1 : c.quota();
            if (quota != -1 && quota != 0 && quota < 1000) throw bad(at + ".quota", "must be -1 or at least 1000 µs, got " + quota);
            String q = quota <= 0 ? "max" : Long.toString(quota);
            out.add(new CgroupSetting("cpu", "cpu.max", q + " " + period, at + (c.quota() != null ? ".quota" : ".period")));
        }
        if (c.burst() != null) {
            if (c.burst() < 0) throw bad(at + ".burst", "must not be negative, got " + c.burst());
            out.add(new CgroupSetting("cpu", "cpu.max.burst", Long.toString(c.burst()), at + ".burst"));
        }
        if (c.idle() != null) {
            if (c.idle() != 0 && c.idle() != 1) throw bad(at + ".idle", "must be 0 or 1, got " + c.idle());
            out.add(new CgroupSetting("cpu", "cpu.idle", Long.toString(c.idle()), at + ".idle"));
        }
        if (c.realtimeRuntime() != null && c.realtimeRuntime() != 0) {
            throw bad(at + ".realtimeRuntime", "real-time CPU bandwidth does not exist in cgroup v2");
        }
        if (c.realtimePeriod() != null && c.realtimePeriod() != 0) {
            throw bad(at + ".realtimePeriod", "real-time CPU bandwidth does not exist in cgroup v2");
        }
        if (c.cpus() != null && !c.cpus().isEmpty()) {
            if (!CPUSET.matcher(c.cpus()).matches()) throw bad(at + ".cpus", "not a CPU list like 0-3,6: \"" + c.cpus() + "\"");
            out.add(new CgroupSetting("cpuset", "cpuset.cpus", c.cpus(), at + ".cpus"));
        }
        if (c.mems() != null && !c.mems().isEmpty()) {
            if (!CPUSET.matcher(c.mems()).matches()) throw bad(at + ".mems", "not a node list like 0-1: \"" + c.mems() + "\"");
            out.add(new CgroupSetting("cpuset", "cpuset.mems", c.mems(), at + ".mems"));
        }
    }

    private static void blockIO(BlockIO b, List<CgroupSetting> out) {
        if (b == null) return;
        String at = R + ".blockIO";
        if (b.weight() != null && b.weight() != 0) {
            out.add(new CgroupSetting("io", "io.weight", "default " + ioWeight(b.weight(), at + ".weight"), at + ".weight"));
        }
        if (b.leafWeight() != null && b.leafWeight() != 0) {
            throw bad(at + ".leafWeight", "cgroup v2 has no leaf weight");
        }
        if (b.weightDevice() != null) {
            for (int i = 0; i < b.weightDevice().size(); i++) {
                WeightDevice w = b.weightDevice().get(i);
                String p = at + ".weightDevice[" + i + "]";
                if (w.leafWeight() != null && w.leafWeight() != 0) throw bad(p + ".leafWeight", "cgroup v2 has no leaf weight");
                if (w.weight() != null && w.weight() != 0) {
                    out.add(new CgroupSetting("io", "io.weight", w.major() + ":" + w.minor() + " "
                            + ioWeight(w.weight(), p + ".weight"), p));
                }
            }
        }
        throttle(b.throttleReadBpsDevice(), "rbps", at + ".throttleReadBpsDevice", out);
        throttle(b.throttleWriteBpsDevice(), "wbps", at + ".throttleWriteBpsDevice", out);
        throttle(b.throttleReadIOPSDevice(), "riops", at + ".throttleReadIOPSDevice", out);
        throttle(b.throttleWriteIOPSDevice(), "wiops", at + ".throttleWriteIOPSDevice", out);
    }

    /** runc's ConvertBlkIOToIOWeightValue: blkio [10, 1000] onto io.weight [1, 10000]. */
    private static long ioWeight(int blkio, String at) {
        if (blkio < 10 || blkio > 1000) throw bad(at, "must be between 10 and 1000, got " + blkio);
        return 1 + ((long) blkio - 10) * 9999 / 990;
    }

    private static void throttle(List<ThrottleDevice> list, String key, String at, List<CgroupSetting> out) {
        if (list == null) return;
        for (int i = 0; i < list.size(); i++) {
            ThrottleDevice t = list.get(i);
            if (t.rate() < 0) throw bad(at + "[" + i + "].rate", "must not be negative, got " + t.rate());
            String rate = t.rate() == 0 ? "max" : Long.toString(t.rate());
            out.add(new CgroupSetting("io", "io.max", t.major() + ":" + t.minor() + " " + key + "=" + rate, at + "[" + i + "]"));
        }
    }

    private static void hugepage(HugepageLimit h, int i, List<CgroupSetting> out) {
        String at = R + ".hugepageLimits[" + i + "]";
        if (h.pageSize() == null || !PAGE_SIZE.matcher(h.pageSize()).matches()) {
            throw bad(at + ".pageSize", "not a page size like 2MB or 1GB: \"" + h.pageSize() + "\"");
        }
        if (h.limit() < 0) throw bad(at + ".limit", "must not be negative, got " + h.limit());
        out.add(new CgroupSetting("hugetlb", "hugetlb." + h.pageSize() + ".max", Long.toString(h.limit()), at));
    }

    private static CgroupSetting unified(String key, String value) {
        String at = R + ".unified[" + dev.jrun.runtime.json.JsonWriter.quote(key) + "]";
        if (value == null) throw bad(at, "needs a value, got null");
        int dot = key.indexOf('.');
        if (dot <= 0 || key.contains("/") || key.contains("..") || key.endsWith(".")) {
            throw bad(at, "\"" + key + "\" is not a cgroup interface file name");
        }
        String controller = key.substring(0, dot);
        if (controller.equals("cgroup")) {
            // runc allows a few core files; the ones that move processes or kill are jrun's own.
            if (key.equals("cgroup.procs") || key.equals("cgroup.threads") || key.equals("cgroup.kill")
                    || key.equals("cgroup.subtree_control") || key.equals("cgroup.freeze")) {
                throw bad(at, key + " is managed by jrun and cannot be set through unified");
            }
        }
        return new CgroupSetting(controller, key, value, at);
    }

    private static String max(long v) {
        return v == -1 ? "max" : Long.toString(v);
    }

    private static JrunException bad(String at, String why) {
        return new JrunException("config.json " + at + ": " + why);
    }
}
