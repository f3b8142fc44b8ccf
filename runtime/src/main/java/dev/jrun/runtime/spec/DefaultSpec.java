package dev.jrun.runtime.spec;

import java.util.List;

/**
 * The config.json that `runc spec` (runc 1.1.5) writes, value for value and in the same key
 * order, with ociVersion raised to the spec version jrun implements. Used by `jrun spec` and tests.
 */
public final class DefaultSpec {

    /** The runtime-spec version jrun implements and writes into new configs. */
    public static final String OCI_VERSION = "1.3.0";

    private static final List<String> DEFAULT_CAPS = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    private DefaultSpec() {
    }

    /** runc's default: interactive "sh" with a terminal. */
    public static String json() {
        return json(true, List.of("sh"));
    }

    /** The default spec with process.terminal and process.args replaced. */
    public static String json(boolean terminal, List<String> args) {
        return ConfigLoader.toPrettyJson(spec(terminal, args));
    }

    public static Spec spec() {
        return spec(true, List.of("sh"));
    }

    public static Spec spec(boolean terminal, List<String> args) {
        Process process = new Process(
                terminal,
                new User(0, 0, null, null, null),
                List.copyOf(args),
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"),
                "/",
                // runc leaves the inheritable set out.
                new Capabilities(DEFAULT_CAPS, DEFAULT_CAPS, null, DEFAULT_CAPS, DEFAULT_CAPS),
                List.of(new Rlimit("RLIMIT_NOFILE", 1024, 1024)),
                true,
                null, null, null);
        List<Mount> mounts = List.of(
                mount("/proc", "proc", "proc", null),
                mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
        Resources resources = new Resources(
                List.of(new DeviceRule(false, null, null, null, "rwm")), // deny all devices by default
                null, null, null, null, null, null, null);
        List<Namespace> namespaces = List.of(
                new Namespace("pid", null), new Namespace("network", null), new Namespace("ipc", null),
                new Namespace("uts", null), new Namespace("mount", null));
        Linux linux = new Linux(null, null, null, resources, null, namespaces, null,
                List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
                        "/proc/scsi"),
                List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"),
                null, null, null, null, null);
        return new Spec(OCI_VERSION, process, new Root("rootfs", true), "runc", null, mounts, null, null, linux);
    }

    private static Mount mount(String destination, String type, String source, List<String> options) {
        return new Mount(destination, type, source, options, null, null);
    }
}
