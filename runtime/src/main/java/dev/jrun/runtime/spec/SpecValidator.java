package dev.jrun.runtime.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semantic checks of a parsed config, the ones runc/youki make before creating anything, so the
 * user gets "config.json: $.mounts[2].destination: must be an absolute path, got "dev"" instead
 * of a failed syscall halfway through container setup. Stops at the first problem.
 */
public final class SpecValidator {

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(\\.\\d+)?([-+].*)?");
    private static final long MAX_ID = 2147483647L;

    private final String file;

    private SpecValidator(String file) {
        this.file = file;
    }

    /** Throws {@link ConfigException} naming file, JSON path and reason for the first violation. */
    public static void validate(Spec spec, String fileName) {
        new SpecValidator(fileName).check(spec);
    }

    private void check(Spec spec) {
        checkVersion(spec.ociVersion());
        checkProcess(spec.process());
        if (spec.root() == null) {
            throw fail("$.root", "is required");
        }
        if (spec.root().path() == null || spec.root().path().isEmpty()) {
            throw fail("$.root.path", "must not be empty");
        }
        checkMounts(spec.mounts());
        checkHooks(spec.hooks());
        if (spec.linux() == null) {
            throw fail("$.linux", "is required (jrun only runs Linux containers)");
        }
        new LinuxValidator(file).check(spec);
    }

    private void checkVersion(String version) {
        if (version == null || version.isEmpty()) {
            throw fail("$.ociVersion", "is required");
        }
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw fail("$.ociVersion", "not a valid version, got " + JsonPaths.quote(version));
        }
        if (!m.group(1).equals("1")) {
            throw fail("$.ociVersion", "unsupported version " + JsonPaths.quote(version) + ", only 1.x is supported");
        }
    }

    private void checkProcess(Process process) {
        String at = "$.process";
        if (process == null) {
            throw fail(at, "is required");
        }
        checkStrings(process.args(), at + ".args");
        if (process.args() == null || process.args().isEmpty()) {
            throw fail(at + ".args", "must not be empty");
        }
        if (process.args().getFirst().isEmpty()) {
            throw fail(at + ".args[0]", "must not be empty");
        }
        checkStrings(process.env(), at + ".env");
        if (process.cwd() != null && !PathRules.isAbsolute(process.cwd())) {
            throw fail(at + ".cwd", "must be an absolute path, got " + JsonPaths.quote(process.cwd()));
        }
        checkUser(process.user(), at + ".user");
        checkCapabilities(process.capabilities(), at + ".capabilities");
        checkRlimits(process.rlimits(), at + ".rlimits");
        Integer oom = process.oomScoreAdj();
        if (oom != null && (oom < -1000 || oom > 1000)) {
            throw fail(at + ".oomScoreAdj", "must be between -1000 and 1000, got " + oom);
        }
    }

    private void checkUser(User user, String at) {
        if (user == null) {
            return; // runs as uid/gid 0, like runc with an empty user object
        }
        checkUint32(user.uid(), at + ".uid");
        checkUint32(user.gid(), at + ".gid");
        if (user.umask() != null && (user.umask() < 0 || user.umask() > 0777)) {
            throw fail(at + ".umask", "must be between 0 and 0777, got 0" + Integer.toOctalString(user.umask()));
        }
        List<Long> gids = user.additionalGids();
        for (int i = 0; gids != null && i < gids.size(); i++) {
            if (gids.get(i) == null) {
                throw fail(JsonPaths.index(at + ".additionalGids", i), "expected a number, got null");
            }
            checkUint32(gids.get(i), JsonPaths.index(at + ".additionalGids", i));
        }
    }

    /**
     * runc's range. Above it the kernel reads the id as -1 ("leave unchanged") or an overflowed
     * value: setresuid(4294967295) would keep the process root.
     */
    private void checkUint32(long id, String at) {
        if (id < 0 || id > MAX_ID) {
            throw fail(at, "uids and gids must be in range 0-2147483647, got " + id);
        }
    }

    private void checkCapabilities(Capabilities caps, String at) {
        if (caps == null) {
            return;
        }
        checkCapabilitySet(caps.bounding(), at + ".bounding");
        checkCapabilitySet(caps.effective(), at + ".effective");
        checkCapabilitySet(caps.inheritable(), at + ".inheritable");
        checkCapabilitySet(caps.permitted(), at + ".permitted");
        checkCapabilitySet(caps.ambient(), at + ".ambient");
    }

    private void checkCapabilitySet(List<String> names, String at) {
        for (int i = 0; names != null && i < names.size(); i++) {
            if (!CapabilityNames.isKnown(names.get(i))) {
                throw fail(JsonPaths.index(at, i), "unknown capability " + JsonPaths.quote(names.get(i)));
            }
        }
    }

    private void checkRlimits(List<Rlimit> rlimits, String at) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; rlimits != null && i < rlimits.size(); i++) {
            String here = JsonPaths.index(at, i);
            Rlimit r = rlimits.get(i);
            if (r == null) {
                throw fail(here, "expected an object, got null");
            }
            if (!RlimitNames.isKnown(r.type())) {
                throw fail(here + ".type", "unknown rlimit type " + JsonPaths.quote(r.type())
                        + " (expected one of " + String.join(", ", RlimitNames.all()) + ")");
            }
            if (!seen.add(r.type())) {
                throw fail(here + ".type", "rlimit " + r.type() + " is set more than once");
            }
            if (Long.compareUnsigned(r.soft(), r.hard()) > 0) {
                throw fail(here, "soft limit " + Long.toUnsignedString(r.soft())
                        + " is greater than hard limit " + Long.toUnsignedString(r.hard()));
            }
        }
    }

    private void checkMounts(List<Mount> mounts) {
        for (int i = 0; mounts != null && i < mounts.size(); i++) {
            String at = JsonPaths.index("$.mounts", i);
            Mount m = mounts.get(i);
            if (m == null) {
                throw fail(at, "expected an object, got null");
            }
            if (m.destination() == null || m.destination().isEmpty()) {
                throw fail(at + ".destination", "is required");
            }
            if (!PathRules.isAbsolute(m.destination())) {
                throw fail(at + ".destination", "must be an absolute path, got " + JsonPaths.quote(m.destination()));
            }
            // Option strings are not checked here: the runtime maps them to flags/data.
            if ((m.type() == null || m.type().isEmpty()) && !m.bindMount()) {
                throw fail(at + ".type", "is required unless options contain bind or rbind");
            }
        }
    }

    private void checkHooks(Hooks hooks) {
        if (hooks == null) {
            return;
        }
        checkHookList(hooks.prestart(), "$.hooks.prestart");
        checkHookList(hooks.createRuntime(), "$.hooks.createRuntime");
        checkHookList(hooks.createContainer(), "$.hooks.createContainer");
        checkHookList(hooks.startContainer(), "$.hooks.startContainer");
        checkHookList(hooks.poststart(), "$.hooks.poststart");
        checkHookList(hooks.poststop(), "$.hooks.poststop");
    }

    private void checkHookList(List<Hook> list, String at) {
        for (int i = 0; list != null && i < list.size(); i++) {
            String here = JsonPaths.index(at, i);
            Hook h = list.get(i);
            if (h == null) {
                throw fail(here, "expected an object, got null");
            }
            if (!PathRules.isAbsolute(h.path())) {
                throw fail(here + ".path", "must be an absolute path, got " + JsonPaths.quote(h.path()));
            }
            checkStrings(h.args(), here + ".args");
            checkStrings(h.env(), here + ".env");
            if (h.timeout() != null && h.timeout() <= 0) {
                throw fail(here + ".timeout", "must be greater than zero, got " + h.timeout());
            }
        }
    }

    /** JSON allows [null] where a string list is expected; exec needs real strings. */
    private void checkStrings(List<String> values, String at) {
        for (int i = 0; values != null && i < values.size(); i++) {
            if (values.get(i) == null) {
                throw fail(JsonPaths.index(at, i), "expected a string, got null");
            }
        }
    }

    private ConfigException fail(String path, String reason) {
        return ConfigException.at(file, path, reason);
    }
}
