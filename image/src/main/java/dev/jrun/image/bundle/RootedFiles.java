package dev.jrun.image.bundle;

import dev.jrun.linux.Errno;
import dev.jrun.linux.Fds;
import dev.jrun.linux.LinuxException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads small files of an image's rootfs (/etc/passwd, /etc/group) with the path resolved by
 * the kernel inside the rootfs (openat2 RESOLVE_IN_ROOT): an image whose /etc/passwd is a
 * symlink to /etc/shadow or ../../../host/file reads its own files, never the host's.
 */
final class RootedFiles {
    private static final int LIMIT = 4 << 20;

    private RootedFiles() {}

    /** The text of {@code path} inside {@code rootfs}, or null if it does not exist. */
    static String read(String rootfs, String path) {
        int root = Fds.open(rootfs, Fds.O_PATH | Fds.O_DIRECTORY | Fds.O_CLOEXEC, 0);
        try {
            int fd;
            try {
                fd = Fds.openat2(root, path, Fds.O_RDONLY | Fds.O_CLOEXEC | Fds.O_NONBLOCK, 0,
                        Fds.RESOLVE_IN_ROOT | Fds.RESOLVE_NO_MAGICLINKS);
            } catch (LinuxException e) {
                if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR) return null;
                throw e;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] chunk;
                while ((chunk = Fds.read(fd, 64 << 10)).length > 0) {
                    out.writeBytes(chunk);
                    if (out.size() > LIMIT) throw new IllegalArgumentException(path + " in the image is larger than " + LIMIT + " bytes");
                }
                return out.toString(StandardCharsets.UTF_8);
            } finally {
                Fds.closeQuietly(fd);
            }
        } finally {
            Fds.closeQuietly(root);
        }
    }
}
