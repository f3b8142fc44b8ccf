package dev.jrun.cgroups;

/**
 * One value to write into a cgroup's interface file, e.g. memory.max = 8388608.
 *
 * @param controller the controller the file belongs to ("memory", "cpu", ...), enabled in the
 *                   parents' cgroup.subtree_control before the write
 * @param file       the interface file name inside the cgroup (never a path)
 * @param value      what to write
 * @param origin     where it came from in the config, e.g. "$.linux.resources.memory.limit"
 */
public record CgroupSetting(String controller, String file, String value, String origin) {
    public CgroupSetting {
        if (file.isEmpty() || file.contains("/") || file.startsWith(".")) {
            throw new CgroupException(origin + ": \"" + file + "\" is not a cgroup interface file name");
        }
    }
}
