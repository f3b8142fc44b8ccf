package dev.jrun.cgroups;

/**
 * One device cgroup rule: allow or deny {@code access} ("r", "w", "m" in any combination) to
 * devices of {@code type} ('a' all, 'c' char, 'b' block) and numbers ({@code -1}: any).
 */
public record DeviceRule(boolean allow, char type, long major, long minor, String access) {
    public DeviceRule {
        if (type != 'a' && type != 'c' && type != 'b') throw new CgroupException("device rule type must be a, c or b, got " + type);
        if (access == null || access.isEmpty()) access = "rwm";
        for (char ch : access.toCharArray()) {
            if (ch != 'r' && ch != 'w' && ch != 'm') throw new CgroupException("device rule access must use r, w, m; got " + access);
        }
    }

    /** The BPF_DEVCG_ACC_* bits: mknod 1, read 2, write 4. */
    int accessBits() {
        int bits = 0;
        if (access.indexOf('m') >= 0) bits |= 1;
        if (access.indexOf('r') >= 0) bits |= 2;
        if (access.indexOf('w') >= 0) bits |= 4;
        return bits;
    }
}
