package dev.jrun.image.bundle;

import dev.jrun.image.ImageException;
import dev.jrun.linux.Errno;
import dev.jrun.linux.FileAt;
import dev.jrun.linux.Fds;
import dev.jrun.linux.LinuxException;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Reads small files of an image's rootfs (/etc/passwd, /etc/group) with the path resolved by
 * the kernel inside the rootfs (openat2 RESOLVE_IN_ROOT): an image whose /etc/passwd is a
 * symlink to /etc/shadow or ../../../host/file reads its own files, never the host's.
 */
final class RootedFiles {
    private static final int LIMIT = 4 << 20;

    private RootedFiles() {}

    /**
     * The text of {@code path} inside {@code rootfs}, or null if it does not exist. Anything but
     * a regular file (a FIFO that would block, a device node a hostile layer made) is refused
     * before it is opened for reading: it is found as an O_PATH fd and checked first.
     */
    static String read(String rootfs, String path) {
        int root = Fds.open(rootfs, Fds.O_PATH | Fds.O_DIRECTORY | Fds.O_CLOEXEC, 0);
        try {
            int found;
            try {
                found = Fds.openat2(root, path, Fds.O_PATH | Fds.O_CLOEXEC, 0, Fds.RESOLVE_IN_ROOT | Fds.RESOLVE_NO_MAGICLINKS);
            } catch (LinuxException e) {
                if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR) return null;
                throw e;
            }
            try {
                if (!isRegular(found, path)) throw new ImageException(path + " in the image is not a regular file");
                // Reopening the checked inode through its own fd: the path is not looked up again.
                int fd = Fds.open("/proc/self/fd/" + found, Fds.O_RDONLY | Fds.O_CLOEXEC | Fds.O_NOCTTY, 0);
                try {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    byte[] chunk;
                    while ((chunk = Fds.read(fd, 64 << 10)).length > 0) {
                        out.writeBytes(chunk);
                        if (out.size() > LIMIT) throw new ImageException(path + " in the image is larger than " + LIMIT + " bytes");
                    }
                    return out.toString(StandardCharsets.UTF_8);
                } finally {
                    Fds.closeQuietly(fd);
                }
            } finally {
                Fds.closeQuietly(found);
            }
        } finally {
            Fds.closeQuietly(root);
        }
    }

    private static boolean isRegular(int fd, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(FileAt.STAT_SIZE);
            FileAt.fstatat(fd, a.allocateFrom(""), st, FileAt.AT_EMPTY_PATH, what);
            return (FileAt.statMode(st) & FileAt.S_IFMT) == FileAt.S_IFREG;
        }
    }
}
