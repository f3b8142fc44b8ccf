package dev.jrun.runtime.spec;

import java.util.List;

/**
 * Linux capability names as written in config.json and their numbers (linux/capability.h),
 * so the runtime can build capability bit masks. Covers CAP_CHOWN (0) .. CAP_CHECKPOINT_RESTORE (40).
 */
public final class CapabilityNames {

    /** Highest capability number known here. */
    public static final int LAST = 40;

    // Index in this list == capability number.
    private static final List<String> NAMES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
            "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
            "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
            "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
            "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
            "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    private CapabilityNames() {
    }

    /** True for an exact, upper-case known name such as "CAP_KILL". */
    public static boolean isKnown(String name) {
        return name != null && NAMES.contains(name);
    }

    /** The capability number for "CAP_KILL" etc.; IllegalArgumentException if unknown. */
    public static int number(String name) {
        int n = name == null ? -1 : NAMES.indexOf(name);
        if (n < 0) {
            throw new IllegalArgumentException("unknown capability " + name);
        }
        return n;
    }

    /** The name of capability number {@code n} (0..{@link #LAST}). */
    public static String name(int n) {
        return NAMES.get(n);
    }

    /** All names, ordered by number. */
    public static List<String> all() {
        return NAMES;
    }
}
