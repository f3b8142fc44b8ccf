package dev.jrun.runtime.init;

import dev.jrun.runtime.spec.DeviceRule;
import dev.jrun.runtime.spec.Spec;

/**
 * Whether the config's device cgroup rules deny devices in general (the default: every engine
 * sends "deny all" first, then allows a few).
 *
 * <p>The rules themselves are enforced by the eBPF device program jrun attaches to the container's
 * cgroup (DeviceRules, dev.jrun.cgroups.DeviceFilter). In addition, while rules deny devices in
 * general, the rootfs and bind mounts outside /dev are nodev, so device nodes shipped in an image
 * or found in a volume cannot be opened whatever the rules say of their numbers. Nodes jrun
 * creates live in /dev (a tmpfs).
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
