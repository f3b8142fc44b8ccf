package dev.jrun.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cgroup's statistics in the shape of runc's `events --stats` data (libcontainer's types.Stats
 * as JSON): cpu, memory, pids, blkio, hugetlb. Only what the hierarchy has is filled in: on a
 * hybrid host the core cpu.stat (usage) and hugetlb are there, the rest is not.
 */
public final class CgroupStats {
    private CgroupStats() {}

    public static Map<String, Object> read(Cgroup cg) {
        Path dir = cg.dir();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cpu", cpu(dir));
        data.put("memory", memory(dir));
        data.put("pids", pids(dir));
        data.put("blkio", blkio(dir));
        data.put("hugetlb", hugetlb(dir));
        return data;
    }

    /** key value lines (cpu.stat, memory.stat, memory.events) as a map; empty if the file is absent. */
    public static Map<String, Long> keyed(Path file) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : lines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                try {
                    out.put(f[0], Long.parseLong(f[1]));
                } catch (NumberFormatException ignored) {
                    // not a counter
                }
            }
        }
        return out;
    }

    private static Map<String, Object> cpu(Path dir) {
        Map<String, Long> st = keyed(dir.resolve("cpu.stat"));
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total", st.getOrDefault("usage_usec", 0L) * 1000);
        usage.put("kernel", st.getOrDefault("system_usec", 0L) * 1000);
        usage.put("user", st.getOrDefault("user_usec", 0L) * 1000);
        Map<String, Object> throttling = new LinkedHashMap<>();
        throttling.put("periods", st.getOrDefault("nr_periods", 0L));
        throttling.put("throttled_periods", st.getOrDefault("nr_throttled", 0L));
        throttling.put("throttled_time", st.getOrDefault("throttled_usec", 0L) * 1000);
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("usage", usage);
        cpu.put("throttling", throttling);
        return cpu;
    }

    private static Map<String, Object> memory(Path dir) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!Files.exists(dir.resolve("memory.current"))) return m;
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("usage", number(dir.resolve("memory.current")));
        usage.put("max", number(dir.resolve("memory.peak")));
        usage.put("limit", limit(dir.resolve("memory.max")));
        Map<String, Long> events = keyed(dir.resolve("memory.events"));
        usage.put("failcnt", events.getOrDefault("max", 0L));
        m.put("usage", usage);
        Map<String, Object> swap = new LinkedHashMap<>();
        swap.put("usage", number(dir.resolve("memory.swap.current")));
        swap.put("limit", limit(dir.resolve("memory.swap.max")));
        m.put("swap", swap);
        m.put("raw", keyed(dir.resolve("memory.stat")));
        m.put("events", events);
        return m;
    }

    private static Map<String, Object> pids(Path dir) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (!Files.exists(dir.resolve("pids.current"))) return p;
        p.put("current", number(dir.resolve("pids.current")));
        p.put("limit", limit(dir.resolve("pids.max")));
        return p;
    }

    /** io.stat lines "8:0 rbytes=1 wbytes=2 rios=3 wios=4" as runc's blkio entries. */
    private static Map<String, Object> blkio(Path dir) {
        List<Object> bytes = new ArrayList<>();
        List<Object> ios = new ArrayList<>();
        for (String line : lines(dir.resolve("io.stat"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || !f[0].contains(":")) continue;
            String[] mm = f[0].split(":");
            long major = Long.parseLong(mm[0]), minor = Long.parseLong(mm[1]);
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=");
                if (kv.length != 2) continue;
                String op = switch (kv[0]) {
                    case "rbytes", "rios" -> "Read";
                    case "wbytes", "wios" -> "Write";
                    case "dbytes", "dios" -> "Discard";
                    default -> null;
                };
                if (op == null) continue;
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("major", major);
                e.put("minor", minor);
                e.put("op", op);
                e.put("value", Long.parseLong(kv[1]));
                (kv[0].endsWith("bytes") ? bytes : ios).add(e);
            }
        }
        Map<String, Object> b = new LinkedHashMap<>();
        if (!bytes.isEmpty()) b.put("ioServiceBytesRecursive", bytes);
        if (!ios.isEmpty()) b.put("ioServicedRecursive", ios);
        return b;
    }

    private static Map<String, Object> hugetlb(Path dir) {
        Map<String, Object> h = new LinkedHashMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (!n.startsWith("hugetlb.") || !n.endsWith(".current")) continue;
                String size = n.substring("hugetlb.".length(), n.length() - ".current".length());
                if (size.contains(".")) continue; // hugetlb.<size>.rsvd.current: reservations, not usage
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("usage", number(f));
                e.put("max", limit(dir.resolve("hugetlb." + size + ".max")));
                e.put("failcnt", keyed(dir.resolve("hugetlb." + size + ".events")).getOrDefault("max", 0L));
                h.put(size, e);
            }
        } catch (IOException e) {
            // the cgroup went away: no hugetlb figures
        }
        return h;
    }

    private static long number(Path f) {
        List<String> l = lines(f);
        if (l.isEmpty()) return 0;
        try {
            return Long.parseLong(l.get(0).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Unlimited, as runc's JSON writes it (Go's MaxUint64). */
    private static final java.math.BigInteger UNLIMITED = new java.math.BigInteger("18446744073709551615");

    /** A limit file: "max" becomes {@link #UNLIMITED}. */
    private static Number limit(Path f) {
        List<String> l = lines(f);
        if (l.isEmpty() || l.get(0).trim().equals("max")) return UNLIMITED;
        try {
            return Long.parseLong(l.get(0).trim());
        } catch (NumberFormatException e) {
            return UNLIMITED;
        }
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
