package dev.jrun.runtime.init;

import dev.jrun.runtime.spec.DeviceRule;
import dev.jrun.runtime.spec.Spec;

/**
 * Whether the config's device cgroup rules deny devices in general (the default: every engine
 * sends "deny all" first, then allows a few).
 *
 * <p>Until jrun attaches the BPF device program (the cgroups issue), it enforces the common part
 * of such rules with mount flags instead: the rootfs and bind mounts outside /dev are nodev, so
 * device nodes shipped in an image or found in a volume cannot be opened. Nodes jrun creates
 * live in /dev (a tmpfs). Not covered yet: a container that holds CAP_MKNOD can still create and
 * open a node in that /dev tmpfs.
 */
final class DevicePolicy {
    private DevicePolicy() {}

    static boolean restricted(Spec spec) {
        var res = spec.linux() == null ? null : spec.linux().resources();
        if (res == null || res.devices() == null || res.devices().isEmpty()) return true;
        boolean allowAll = false;
        for (DeviceRule r : res.devices()) {
            boolean anyType = r.type() == null || r.type().equals("a");
            boolean anyNumber = (r.major() == null || r.major() < 0) && (r.minor() == null || r.minor() < 0);
            if (!anyType || !anyNumber) continue; // a rule for particular devices
            String access = r.access() == null ? "rwm" : r.access();
            boolean all = access.contains("r") && access.contains("w") && access.contains("m");
            if (r.allow() && all) allowAll = true;
            else if (!r.allow()) allowAll = false;
        }
        return !allowAll;
    }
}
