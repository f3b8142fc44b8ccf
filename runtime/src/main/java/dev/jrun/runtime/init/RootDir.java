package dev.jrun.runtime.init;

import dev.jrun.linux.Errno;
import dev.jrun.linux.Fds;
import dev.jrun.linux.Libc;
import dev.jrun.linux.LinuxException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The container's root filesystem as a directory fd, and every path in it resolved by the kernel
 * with openat2(RESOLVE_IN_ROOT): "..", absolute symlinks and symlink chains all stay inside, and
 * what was resolved is then used through its fd (mount onto /proc/self/fd/N, mkdirat, mknodat),
 * never walked again by path. A container sharing a volume with this one cannot swap a directory
 * for a symlink between the check and the use (the CVE-2021-30465 class).
 */
final class RootDir implements AutoCloseable {
    private static final long RESOLVE = Fds.RESOLVE_IN_ROOT | Fds.RESOLVE_NO_MAGICLINKS;
    private static final int DIR = Fds.O_PATH | Fds.O_DIRECTORY | Fds.O_CLOEXEC;

    private final Path host;
    private final int fd;

    /** Opens the rootfs at {@code host} (after it was bound onto itself). */
    RootDir(Path host) {
        this.fd = Fds.open(host.toString(), DIR, 0);
        // The real path: /proc/self/fd links show real paths, and the bundle may be reached
        // through a symlink.
        this.host = Path.of(readLink(Libc.fdPath(fd)));
    }

    private static String readLink(String path) {
        try {
            return Files.readSymbolicLink(Path.of(path)).toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** An O_PATH fd of the directory at {@code path} inside the root, created (mkdir -p) if asked. */
    int openDir(String path, boolean create) {
        return openDir(path, create, 0);
    }

    private int openDir(String path, boolean create, int depth) {
        if (depth > 40) throw new LinuxException("openat2", dev.jrun.linux.Errno.ELOOP, path);
        String rel = relative(path);
        try {
            return Fds.openat2(fd, rel, DIR, 0, RESOLVE);
        } catch (LinuxException e) {
            if (!create || e.errno() != Errno.ENOENT) throw e;
        }
        String prefix = ".";
        for (String comp : rel.split("/")) {
            String next = prefix.equals(".") ? comp : prefix + "/" + comp;
            if (!exists(next)) {
                int parent = Fds.openat2(fd, prefix, DIR, 0, RESOLVE);
                try {
                    Libc.mkdirat(parent, comp, 0755);
                } catch (LinuxException e) {
                    if (e.errno() != Errno.EEXIST) throw e;
                    // A dangling symlink: create its target, taken inside the root, as
                    // mkdir -p through the link would (securejoin's rule).
                    String target = readLink(Libc.fdPath(parent) + "/" + comp);
                    // relative to where the parent really is, not to the path as written
                    String parentPath = containerPathOf(parent);
                    String base = parentPath.equals("/") ? "/" : parentPath + "/";
                    Fds.close(openDir(target.startsWith("/") ? target : base + target, true, depth + 1));
                } finally {
                    Fds.closeQuietly(parent);
                }
            }
            prefix = next;
        }
        return Fds.openat2(fd, rel, DIR, 0, RESOLVE);
    }

    /** An O_PATH fd of the file at {@code path}, created empty if missing (a bind mount's target). */
    int openFile(String path) {
        return openFile(path, 0);
    }

    private int openFile(String path, int depth) {
        if (depth > 40) throw new LinuxException("openat2", Errno.ELOOP, path);
        String rel = relative(path);
        try {
            return Fds.openat2(fd, rel, Fds.O_PATH | Fds.O_CLOEXEC, 0, RESOLVE);
        } catch (LinuxException e) {
            if (e.errno() != Errno.ENOENT) throw e;
        }
        String danglingTo = null;
        try (Entry entry = entry(path)) {
            int created = Fds.openat(entry.dirFd(), entry.name(),
                    Fds.O_CREAT | Fds.O_EXCL | Fds.O_WRONLY | Fds.O_NOFOLLOW | Fds.O_CLOEXEC, 0644);
            Fds.closeQuietly(created);
        } catch (LinuxException e) {
            if (e.errno() != Errno.EEXIST) throw e;
            // A dangling symlink: create its target inside the root (see openDir).
            try (Entry entry = entry(path)) {
                String target = readLink(Libc.fdPath(entry.dirFd()) + "/" + entry.name());
                String base = containerPathOf(entry.dirFd());
                danglingTo = target.startsWith("/") ? target : (base.equals("/") ? "/" : base + "/") + target;
            }
        }
        if (danglingTo != null) return openFile(danglingTo, depth + 1);
        return Fds.openat2(fd, rel, Fds.O_PATH | Fds.O_CLOEXEC, 0, RESOLVE);
    }

    /** The parent directory of {@code path} (created if missing) and the entry's name in it. */
    Entry entry(String path) {
        Path clean = Path.of("/").resolve(path).normalize();
        if (clean.getNameCount() == 0) throw new IllegalArgumentException("\"" + path + "\" names the root itself");
        String parent = clean.getParent() == null ? "/" : clean.getParent().toString();
        return new Entry(openDir(parent, true), clean.getFileName().toString());
    }

    /** A name inside an open directory; close it when done. */
    record Entry(int dirFd, String name) implements AutoCloseable {
        @Override
        public void close() {
            Fds.closeQuietly(dirFd);
        }
    }

    /** The path inside the container that an fd from this root is open on. */
    String containerPathOf(int pathFd) {
        Path rel = host.relativize(Path.of(readLink(Libc.fdPath(pathFd))));
        return rel.toString().isEmpty() ? "/" : "/" + rel;
    }

    private boolean exists(String rel) {
        try {
            Fds.close(Fds.openat2(fd, rel, Fds.O_PATH | Fds.O_CLOEXEC, 0, RESOLVE));
            return true;
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENOENT) return false;
            throw e;
        }
    }

    private static String relative(String path) {
        String rel = Path.of("/").resolve(path).normalize().toString().substring(1);
        return rel.isEmpty() ? "." : rel;
    }

    @Override
    public void close() {
        Fds.closeQuietly(fd);
    }
}
