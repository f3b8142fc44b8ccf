package dev.jrun.runtime.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads /proc/self/mountinfo: which mount holds a path, and whether it is shared. */
final class MountInfo {
    private MountInfo() {}

    private static List<String[]> entries() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The longest mount point that is a prefix of {@code path}. */
    static String mountPointOf(String path) {
        String best = null;
        for (String[] f : entries()) {
            String mp = unescape(f[4]);
            boolean prefix = path.equals(mp) || mp.equals("/") || path.startsWith(mp + "/");
            if (prefix && (best == null || mp.length() > best.length())) best = mp;
        }
        return best;
    }

    static boolean isShared(String mountPoint) {
        boolean shared = false;
        for (String[] f : entries()) {
            if (!unescape(f[4]).equals(mountPoint)) continue;
            shared = false; // the last entry for a mount point is the visible one
            for (int i = 6; i < f.length && !f[i].equals("-"); i++) {
                if (f[i].startsWith("shared:")) shared = true;
            }
        }
        return shared;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
