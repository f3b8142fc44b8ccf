package dev.jrun.image.layer;

import dev.jrun.linux.Errno;
import dev.jrun.linux.Fds;
import dev.jrun.linux.FileAt;
import dev.jrun.linux.LinuxException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mode and times of the directories a layer lists, set after everything else: creating a child
 * changes its directory's mtime, and a read-only directory (0555) must still take children
 * (which, unprivileged, it would not). A later entry for the same directory replaces the
 * earlier one's values. Each is reached again through the root with O_NOFOLLOW, so a
 * directory that a later entry replaced by a symlink is skipped, never chmod'ed through.
 */
final class DirMetadata {
    private record Pending(int mode, long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec) {}

    private final Map<String, Pending> pending = new LinkedHashMap<>();

    void add(String path, TarEntry e) {
        pending.put(path, new Pending(e.mode(), e.atimeSec(), e.atimeNsec(), e.mtimeSec(), e.mtimeNsec()));
    }

    void apply(RootedFs fs) {
        for (Map.Entry<String, Pending> en : pending.entrySet()) {
            String path = en.getKey();
            Pending p = en.getValue();
            int fd;
            try {
                fd = fs.openInRoot(path, Fds.O_RDONLY | Fds.O_DIRECTORY | Fds.O_NOFOLLOW | Fds.O_CLOEXEC, path);
            } catch (LinuxException e) {
                // removed, or replaced by a non-directory, by a later entry of this layer
                if (e.errno() == Errno.ENOENT || e.errno() == Errno.ELOOP || e.errno() == Errno.ENOTDIR) continue;
                throw e;
            }
            try {
                FileAt.fchmod(fd, p.mode, path);
                FileAt.putTimes(fs.times, p.atimeSec, p.atimeNsec, p.mtimeSec, p.mtimeNsec);
                FileAt.utimensat(fd, null, fs.times, 0, path);
            } finally {
                Fds.closeQuietly(fd);
            }
        }
    }
}
