package dev.jrun.cli;

import dev.jrun.runtime.JrunException;
import dev.jrun.runtime.json.MiniJson;
import dev.jrun.runtime.json.RecordBinder;
import dev.jrun.runtime.spec.BlockIO;
import dev.jrun.runtime.spec.ConfigLoader;
import dev.jrun.runtime.spec.Cpu;
import dev.jrun.runtime.spec.Memory;
import dev.jrun.runtime.spec.Pids;
import dev.jrun.runtime.spec.Resources;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `update`: new limits for a live container, from --resources FILE (or - for stdin; the JSON of
 * linux.resources) and/or runc's individual flags, which override the file.
 */
final class UpdateCommand implements Command {
    private static final List<Option> OPTIONS = List.of(
            Option.value("FILE", "linux.resources JSON, or - for standard input", "resources", "r"),
            Option.value("BYTES", "memory limit (e.g. 512m)", "memory"),
            Option.value("BYTES", "memory soft limit", "memory-reservation"),
            Option.value("BYTES", "memory plus swap limit, -1 for unlimited", "memory-swap"),
            Option.value("N", "CPU shares (relative weight)", "cpu-share"),
            Option.value("USEC", "CPU CFS quota", "cpu-quota"),
            Option.value("USEC", "CPU CFS period", "cpu-period"),
            Option.value("USEC", "CPU burst", "cpu-burst"),
            Option.value("0|1", "SCHED_IDLE for the cgroup", "cpu-idle"),
            Option.value("LIST", "CPUs allowed (0-3,5)", "cpuset-cpus"),
            Option.value("LIST", "memory nodes allowed", "cpuset-mems"),
            Option.value("N", "maximum number of tasks", "pids-limit"),
            Option.value("N", "block IO weight (10-1000)", "blkio-weight"));

    @Override public String name() { return "update"; }
    @Override public String usage() { return "<container-id>"; }
    @Override public String description() { return "update the resource limits of a container"; }
    @Override public List<Option> options() { return OPTIONS; }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return 1; }

    @Override
    public int run(Globals g, ParsedArgs a) throws IOException {
        var c = g.containers();
        Resources r = a.values.containsKey("resources") ? readResources(a.values.get("resources")) : null;
        r = withFlags(r, a);
        if (r == null) throw new JrunException("update: nothing to update (give --resources or a limit flag)");
        c.update(a.positionals.get(0), r);
        return 0;
    }

    private static Resources readResources(String from) throws IOException {
        String text = from.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(from));
        String name = from.equals("-") ? "resources (stdin)" : from;
        try {
            return RecordBinder.bind(MiniJson.parse(text), Resources.class);
        } catch (RuntimeException fast) {
            try {
                return ConfigLoader.mapper().readValue(text, Resources.class);
            } catch (IOException e) {
                throw new JrunException(name + ": not valid linux.resources JSON: " + e.getMessage());
            }
        }
    }

    private static Resources withFlags(Resources r, ParsedArgs a) {
        Memory m = r == null ? null : r.memory();
        Cpu cpu = r == null ? null : r.cpu();
        Pids pids = r == null ? null : r.pids();
        BlockIO io = r == null ? null : r.blockIO();
        Long limit = bytes(a, "memory"), reservation = bytes(a, "memory-reservation"), swap = bytes(a, "memory-swap");
        if (limit != null || reservation != null || swap != null) {
            m = new Memory(limit != null ? limit : m == null ? null : m.limit(),
                    reservation != null ? reservation : m == null ? null : m.reservation(),
                    swap != null ? swap : m == null ? null : m.swap(), null, null, null, null, null, null);
        }
        Long shares = number(a, "cpu-share"), quota = number(a, "cpu-quota"), period = number(a, "cpu-period"),
                burst = number(a, "cpu-burst"), idle = number(a, "cpu-idle");
        String cpus = a.values.get("cpuset-cpus"), mems = a.values.get("cpuset-mems");
        if (shares != null || quota != null || period != null || burst != null || idle != null || cpus != null || mems != null) {
            cpu = new Cpu(shares != null ? shares : cpu == null ? null : cpu.shares(),
                    quota != null ? quota : cpu == null ? null : cpu.quota(),
                    burst != null ? burst : cpu == null ? null : cpu.burst(),
                    period != null ? period : cpu == null ? null : cpu.period(), null, null,
                    cpus != null ? cpus : cpu == null ? null : cpu.cpus(),
                    mems != null ? mems : cpu == null ? null : cpu.mems(),
                    idle != null ? idle : cpu == null ? null : cpu.idle());
        }
        Long pidsLimit = number(a, "pids-limit");
        if (pidsLimit != null) pids = new Pids(pidsLimit);
        Long weight = number(a, "blkio-weight");
        if (weight != null) {
            io = new BlockIO(weight.intValue(), null, io == null ? null : io.weightDevice(),
                    io == null ? null : io.throttleReadBpsDevice(), io == null ? null : io.throttleWriteBpsDevice(),
                    io == null ? null : io.throttleReadIOPSDevice(), io == null ? null : io.throttleWriteIOPSDevice());
        }
        if (r == null && m == null && cpu == null && pids == null && io == null) return null;
        return new Resources(r == null ? null : r.devices(), m, cpu, pids, io, r == null ? null : r.hugepageLimits(),
                r == null ? null : r.network(), r == null ? null : r.unified());
    }

    private static Long number(ParsedArgs a, String flag) {
        String v = a.values.get(flag);
        if (v == null) return null;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new JrunException("invalid value \"" + v + "\" for flag --" + flag + ": not a number");
        }
    }

    private static final Pattern SIZE = Pattern.compile("^([0-9]+)\\s*([kmgtp]?)i?b?$");

    /** Docker's RAMInBytes: 512, 512k, 512m, 1g, 1gb, 1GiB (1024-based); -1 is unlimited. */
    static Long bytes(ParsedArgs a, String flag) {
        String v = a.values.get(flag);
        if (v == null) return null;
        if (v.equals("-1")) return -1L;
        Matcher m = SIZE.matcher(v.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new JrunException("invalid value \"" + v + "\" for flag --" + flag + ": not a size");
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            case "p" -> 50;
            default -> 0;
        };
        return n << shift;
    }
}
