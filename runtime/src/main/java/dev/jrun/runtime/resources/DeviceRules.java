package dev.jrun.runtime.resources;

import dev.jrun.cgroups.DeviceRule;
import dev.jrun.runtime.spec.Device;
import dev.jrun.runtime.spec.Spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The device rules jrun enforces, in runc's order: the config's linux.resources.devices, then an
 * allow for every device in linux.devices, then the defaults every container needs (the nodes
 * jrun creates, /dev/pts, /dev/ptmx, /dev/console, and mknod of anything, as runc's
 * AllowedDevices). Later rules override earlier ones.
 */
public final class DeviceRules {
    private DeviceRules() {}

    private static final List<DeviceRule> DEFAULTS = List.of(
            new DeviceRule(true, 'c', -1, -1, "m"), new DeviceRule(true, 'b', -1, -1, "m"),
            new DeviceRule(true, 'c', 1, 3, "rwm"),   // /dev/null
            new DeviceRule(true, 'c', 1, 8, "rwm"),   // /dev/random
            new DeviceRule(true, 'c', 1, 7, "rwm"),   // /dev/full
            new DeviceRule(true, 'c', 5, 0, "rwm"),   // /dev/tty
            new DeviceRule(true, 'c', 1, 5, "rwm"),   // /dev/zero
            new DeviceRule(true, 'c', 1, 9, "rwm"),   // /dev/urandom
            new DeviceRule(true, 'c', 136, -1, "rwm"), // /dev/pts/*
            new DeviceRule(true, 'c', 5, 2, "rwm"),   // /dev/ptmx
            new DeviceRule(true, 'c', 5, 1, "rwm"));  // /dev/console

    public static List<DeviceRule> forSpec(Spec spec) {
        List<DeviceRule> rules = new ArrayList<>();
        var res = spec.linux() == null ? null : spec.linux().resources();
        if (res != null && res.devices() != null) {
            for (var r : res.devices()) {
                char type = r.type() == null || r.type().isEmpty() ? 'a' : r.type().charAt(0);
                rules.add(new DeviceRule(r.allow(), type, r.major() == null ? -1 : r.major(),
                        r.minor() == null ? -1 : r.minor(), r.access()));
            }
        }
        if (spec.linux() != null && spec.linux().devices() != null) {
            for (Device d : spec.linux().devices()) {
                char type = d.type().equals("b") ? 'b' : 'c';
                if (d.type().equals("p")) continue; // FIFOs are not devices to the cgroup
                rules.add(new DeviceRule(true, type, d.major(), d.minor(), "rwm"));
            }
        }
        rules.addAll(DEFAULTS);
        return rules;
    }
}
