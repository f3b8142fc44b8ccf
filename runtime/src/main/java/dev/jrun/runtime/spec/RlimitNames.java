package dev.jrun.runtime.spec;

import java.util.List;

/** RLIMIT_* names from config.json and their resource numbers for setrlimit/prlimit (x86_64/arm64). */
public final class RlimitNames {

    // Index in this list == resource number (asm-generic/resource.h).
    private static final List<String> NAMES = List.of(
            "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
            "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
            "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    private RlimitNames() {
    }

    public static boolean isKnown(String name) {
        return name != null && NAMES.contains(name);
    }

    /** Resource number for "RLIMIT_NOFILE" etc.; IllegalArgumentException if unknown. */
    public static int number(String name) {
        int n = name == null ? -1 : NAMES.indexOf(name);
        if (n < 0) {
            throw new IllegalArgumentException("unknown rlimit " + name);
        }
        return n;
    }

    /** All names, ordered by resource number. */
    public static List<String> all() {
        return NAMES;
    }
}
