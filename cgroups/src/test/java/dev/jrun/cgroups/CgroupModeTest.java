package dev.jrun.cgroups;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CgroupModeTest {

    /** The file system type mounted last on each mount point, from /proc/self/mountinfo. */
    static Map<String, String> mountTypes() throws Exception {
        Map<String, String> types = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            int dash = java.util.Arrays.asList(f).indexOf("-");
            types.put(f[4], f[dash + 1]);
        }
        return types;
    }

    static CgroupMode expectedMode() throws Exception {
        Map<String, String> t = mountTypes();
        if ("cgroup2".equals(t.get("/sys/fs/cgroup"))) return CgroupMode.UNIFIED;
        if ("cgroup2".equals(t.get("/sys/fs/cgroup/unified"))) return CgroupMode.HYBRID;
        return CgroupMode.LEGACY;
    }

    @Test
    void detectAgreesWithMountinfo() throws Exception {
        assertEquals(expectedMode(), CgroupMode.detect());
    }

    @Test
    void v2MountOfEachMode() {
        assertEquals("/sys/fs/cgroup", CgroupMode.UNIFIED.v2Mount());
        assertEquals("/sys/fs/cgroup/unified", CgroupMode.HYBRID.v2Mount());
        assertEquals(null, CgroupMode.LEGACY.v2Mount());
    }
}
