package dev.jrun.runtime;

import dev.jrun.runtime.spec.Spec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Security features jrun does not implement yet. A config that asks for one fails: running the
 * container without the seccomp filter or the LSM profile it asked for would be a silent
 * downgrade. As runc does, an AppArmor profile or SELinux label is ignored only when the host
 * itself has no AppArmor or SELinux.
 */
final class FeatureGuard {
    private FeatureGuard() {}

    static void check(Spec spec) {
        var linux = spec.linux();
        if (linux != null && linux.seccomp() != null) {
            refuse("$.linux.seccomp", "seccomp filters are not supported by jrun yet");
        }
        if (linux != null && linux.personality() != null) {
            refuse("$.linux.personality", "setting the execution domain (personality) is not supported by jrun yet");
        }
        var p = spec.process();
        if (p != null && p.apparmorProfile() != null && !p.apparmorProfile().isEmpty() && appArmorEnabled()) {
            refuse("$.process.apparmorProfile", "AppArmor profiles are not supported by jrun yet (AppArmor is enabled on this host)");
        }
        boolean selinux = Files.exists(Path.of("/sys/fs/selinux/enforce"));
        if (selinux && p != null && p.selinuxLabel() != null && !p.selinuxLabel().isEmpty()) {
            refuse("$.process.selinuxLabel", "SELinux labels are not supported by jrun yet (SELinux is enabled on this host)");
        }
        if (selinux && linux != null && linux.mountLabel() != null && !linux.mountLabel().isEmpty()) {
            refuse("$.linux.mountLabel", "SELinux mount labels are not supported by jrun yet (SELinux is enabled on this host)");
        }
    }

    private static boolean appArmorEnabled() {
        try {
            return Files.readString(Path.of("/sys/module/apparmor/parameters/enabled")).trim().equals("Y");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void refuse(String where, String why) {
        throw new JrunException("config.json " + where + ": " + why);
    }
}
