package dev.jrun.runtime.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The "linux" half of {@link SpecValidator}: namespaces and everything that depends on them. */
final class LinuxValidator {

    private static final List<String> NAMESPACE_TYPES =
            List.of("pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time");
    private static final Set<String> PROPAGATIONS = Set.of(
            "", "private", "rprivate", "slave", "rslave", "shared", "rshared", "unbindable", "runbindable");
    private static final Set<String> DEVICE_TYPES = Set.of("c", "b", "u", "p");
    private static final Set<String> CLOCKS = Set.of("monotonic", "boottime");

    private final String file;

    LinuxValidator(String file) {
        this.file = file;
    }

    void check(Spec spec) {
        Linux linux = spec.linux();
        checkNamespaces(linux.namespaces());
        checkIdMappings(linux);
        checkTimeOffsets(linux);
        checkHostname(spec.hostname(), "$.hostname", "hostname", linux);
        checkHostname(spec.domainname(), "$.domainname", "domainname", linux);
        checkSysctl(linux);
        checkDevices(linux.devices());
        checkAbsolute(linux.maskedPaths(), "$.linux.maskedPaths");
        checkAbsolute(linux.readonlyPaths(), "$.linux.readonlyPaths");
        if (linux.rootfsPropagation() != null && !PROPAGATIONS.contains(linux.rootfsPropagation())) {
            throw fail("$.linux.rootfsPropagation", "unknown propagation " + JsonPaths.quote(linux.rootfsPropagation())
                    + " (expected private, rprivate, slave, rslave, shared, rshared, unbindable or runbindable)");
        }
        if (linux.cgroupsPath() != null && PathRules.escapes(linux.cgroupsPath())) {
            throw fail("$.linux.cgroupsPath", "must not escape the cgroup root with \"..\", got "
                    + JsonPaths.quote(linux.cgroupsPath()));
        }
        if (linux.resources() != null) {
            checkDeviceRules(linux.resources().devices());
        }
    }

    private void checkNamespaces(List<Namespace> namespaces) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; namespaces != null && i < namespaces.size(); i++) {
            String at = JsonPaths.index("$.linux.namespaces", i);
            Namespace ns = namespaces.get(i);
            if (ns == null) {
                throw fail(at, "expected an object, got null");
            }
            if (ns.type() == null) {
                throw fail(at + ".type", "is required");
            }
            if (!NAMESPACE_TYPES.contains(ns.type())) {
                throw fail(at + ".type", "unknown namespace type " + JsonPaths.quote(ns.type())
                        + " (expected one of " + String.join(", ", NAMESPACE_TYPES) + ")");
            }
            if (!seen.add(ns.type())) {
                throw fail(at + ".type", "namespace type " + JsonPaths.quote(ns.type()) + " is listed more than once");
            }
            if (ns.type().equals("user")) {
                throw fail(at, "user namespaces are not supported yet");
            }
            if (!ns.createsNew() && !PathRules.isAbsolute(ns.path())) {
                throw fail(at + ".path", "must be an absolute path, got " + JsonPaths.quote(ns.path()));
            }
        }
    }

    private void checkIdMappings(Linux linux) {
        // Mappings only mean something inside a user namespace, which we do not create (yet).
        if (linux.uidMappings() != null && !linux.uidMappings().isEmpty()) {
            throw fail("$.linux.uidMappings", "needs a user namespace; user namespaces are not supported yet");
        }
        if (linux.gidMappings() != null && !linux.gidMappings().isEmpty()) {
            throw fail("$.linux.gidMappings", "needs a user namespace; user namespaces are not supported yet");
        }
    }

    private void checkTimeOffsets(Linux linux) {
        Map<String, TimeOffset> offsets = linux.timeOffsets();
        if (offsets == null || offsets.isEmpty()) {
            return;
        }
        Namespace time = linux.namespace("time");
        if (time == null) {
            throw fail("$.linux.timeOffsets", "requires a new time namespace in $.linux.namespaces");
        }
        if (!time.createsNew()) {
            // Offsets can only be written before the first process enters a time namespace.
            throw fail("$.linux.timeOffsets", "cannot be set when joining an existing time namespace ("
                    + JsonPaths.quote(time.path()) + ")");
        }
        for (Map.Entry<String, TimeOffset> e : offsets.entrySet()) {
            String at = JsonPaths.field("$.linux.timeOffsets", e.getKey());
            if (!CLOCKS.contains(e.getKey())) {
                throw fail(at, "unknown clock " + JsonPaths.quote(e.getKey()) + " (expected monotonic or boottime)");
            }
            if (e.getValue() == null) {
                throw fail(at, "expected an object, got null");
            }
            long ns = e.getValue().nanosec();
            if (ns < 0 || ns > 999_999_999L) {
                throw fail(at + ".nanosec", "must be between 0 and 999999999, got " + ns);
            }
        }
    }

    private void checkHostname(String value, String at, String what, Linux linux) {
        if (value == null || value.isEmpty()) {
            return;
        }
        Namespace uts = linux.namespace("uts");
        if (uts == null) {
            // Without a UTS namespace entry it would rename the host. A joined one (a pod's) is
            // the container's to name, as runc and podman have it.
            throw fail(at, "unable to set " + what + " without a private UTS namespace");
        }
    }

    private void checkSysctl(Linux linux) {
        if (linux.sysctl() == null) {
            return;
        }
        for (String key : linux.sysctl().keySet()) {
            String problem = SysctlRules.problem(key, linux);
            if (problem != null) {
                throw fail(JsonPaths.field("$.linux.sysctl", key), problem);
            }
        }
    }

    private void checkDevices(List<Device> devices) {
        for (int i = 0; devices != null && i < devices.size(); i++) {
            String at = JsonPaths.index("$.linux.devices", i);
            Device d = devices.get(i);
            if (d == null) {
                throw fail(at, "expected an object, got null");
            }
            if (!DEVICE_TYPES.contains(d.type())) {
                throw fail(at + ".type", "must be one of c, b, u, p, got " + JsonPaths.quote(d.type()));
            }
            // Checked after cleaning so "/dev/../etc/passwd" cannot sneak a node outside /dev.
            if (!PathRules.isAbsolute(d.path()) || !PathRules.cleanAbsolute(d.path()).startsWith("/dev/")) {
                throw fail(at + ".path", "must be an absolute path under /dev, got " + JsonPaths.quote(d.path()));
            }
            Integer mode = d.fileMode();
            if (mode != null && (mode < 0 || mode > 07777)) {
                throw fail(at + ".fileMode", "must be between 0 and 07777 (permission bits only), got "
                        + mode + " (0" + Integer.toOctalString(mode) + ")");
            }
        }
    }

    private void checkDeviceRules(List<DeviceRule> rules) {
        for (int i = 0; rules != null && i < rules.size(); i++) {
            String at = JsonPaths.index("$.linux.resources.devices", i);
            DeviceRule r = rules.get(i);
            if (r == null) {
                throw fail(at, "expected an object, got null");
            }
            if (r.type() != null && !Set.of("a", "b", "c").contains(r.type())) {
                throw fail(at + ".type", "must be one of a, b, c, got " + JsonPaths.quote(r.type()));
            }
            if (r.access() != null && !r.access().matches("[rwm]*")) {
                throw fail(at + ".access", "may only contain the letters r, w and m, got " + JsonPaths.quote(r.access()));
            }
        }
    }

    private void checkAbsolute(List<String> paths, String at) {
        for (int i = 0; paths != null && i < paths.size(); i++) {
            if (!PathRules.isAbsolute(paths.get(i))) {
                throw fail(JsonPaths.index(at, i), "must be an absolute path, got " + JsonPaths.quote(paths.get(i)));
            }
        }
    }

    private ConfigException fail(String path, String reason) {
        return ConfigException.at(file, path, reason);
    }
}
