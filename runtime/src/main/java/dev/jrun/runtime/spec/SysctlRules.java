package dev.jrun.runtime.spec;

import java.util.Set;

/**
 * Which sysctls may be set in a container, following runc's validator: only keys that belong to
 * a namespace the container owns, because anything else would change the host.
 */
final class SysctlRules {

    // IPC-namespaced kernel.* keys (runc's validSysctlMap); fs.mqueue.* is handled by prefix.
    private static final Set<String> IPC_KEYS = Set.of(
            "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    private static final Set<String> UTS_KEYS = Set.of("kernel.hostname", "kernel.domainname");

    private SysctlRules() {
    }

    /** Returns null if {@code key} is allowed with these namespaces, else the reason it is not. */
    static String problem(String key, Linux linux) {
        if (key.isEmpty()) {
            return "sysctl key must not be empty";
        }
        // The key becomes a path under /proc/sys; never let it point elsewhere.
        if (key.contains("..") || key.contains("/")) {
            return "sysctl key " + JsonPaths.quote(key) + " must not contain \"..\" or \"/\"";
        }
        if (IPC_KEYS.contains(key) || key.startsWith("fs.mqueue.")) {
            return linux.namespace("ipc") != null ? null
                    : "sysctl " + JsonPaths.quote(key) + " requires an ipc namespace";
        }
        if (key.startsWith("net.")) {
            // A joined network namespace (path) is fine too, as in runc.
            return linux.namespace("network") != null ? null
                    : "sysctl " + JsonPaths.quote(key) + " requires a network namespace";
        }
        if (UTS_KEYS.contains(key)) {
            return linux.namespace("uts") != null ? null
                    : "sysctl " + JsonPaths.quote(key) + " requires a uts namespace";
        }
        return "sysctl " + JsonPaths.quote(key) + " is not namespaced / not allowed in a container";
    }
}
