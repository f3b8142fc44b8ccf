package dev.jrun.image.layer;

import dev.jrun.image.ImageException;
import dev.jrun.linux.Errno;
import dev.jrun.linux.Fds;
import dev.jrun.linux.FileAt;
import dev.jrun.linux.LinuxException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The target directory as a file descriptor, and the only way the applier reaches anything in
 * it. A directory is found by the kernel with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)
 * on the root's fd, so "..", absolute symlinks and symlink chains written by earlier entries all
 * stay inside the root; the entry itself is then made with an *at call on that directory's fd
 * and its last component, which is never followed (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW, linkat
 * without AT_SYMLINK_FOLLOW). No java.nio.file operation ever sees an entry's path.
 *
 * <p>Speed: tar streams list a directory's members together, so the fds of recently used
 * directories are cached by path. Removing or replacing a directory or symlink can change what
 * a path resolves to, so it drops the cache; dropped fds are closed at the end of the entry
 * (one may still be in use by it). Names are encoded into native buffers allocated once.
 */
final class RootedFs implements AutoCloseable {
    static final long RESOLVE = Fds.RESOLVE_IN_ROOT | Fds.RESOLVE_NO_MAGICLINKS;
    private static final int DIR_PATH = Fds.O_PATH | Fds.O_DIRECTORY | Fds.O_CLOEXEC;
    private static final int CACHE = 64;
    /** Linux's PATH_MAX, counting the NUL. */
    static final int PATH_MAX = 4096;

    final Arena arena = Arena.ofConfined();
    final int rootFd;
    /** Scratch C strings: a name, a second name (link source, symlink target), a path for openat2. */
    final MemorySegment name = arena.allocate(PATH_MAX);
    final MemorySegment name2 = arena.allocate(PATH_MAX);
    private final MemorySegment path = arena.allocate(PATH_MAX);
    private final MemorySegment how = arena.allocate(FileAt.OPEN_HOW_SIZE);
    final MemorySegment times = arena.allocate(FileAt.TIMES_SIZE);
    final MemorySegment stat = arena.allocate(FileAt.STAT_SIZE);
    private MemorySegment dirents;

    private final Map<String, Integer> dirs = new LinkedHashMap<>(CACHE * 2, 0.75f, true);
    private final List<Integer> retired = new ArrayList<>();

    private RootedFs(int rootFd) {
        this.rootFd = rootFd;
    }

    static RootedFs open(Path root) {
        int fd;
        try {
            fd = Fds.open(root.toString(), DIR_PATH, 0);
        } catch (LinuxException e) {
            throw new ImageException("cannot open the target directory " + root + ": " + e.getMessage(), e);
        }
        return new RootedFs(fd);
    }

    /** Encodes {@code s} (byte-per-char) as a C string into {@code seg}. */
    static MemorySegment put(MemorySegment seg, String s) {
        int n = s.length();
        if (n >= seg.byteSize())
            throw new LinuxException("path", Errno.ENAMETOOLONG, n + " bytes, longer than Linux allows (" + (seg.byteSize() - 1) + ")");
        if (n <= 64) {
            for (int i = 0; i < n; i++) seg.set(ValueLayout.JAVA_BYTE, i, (byte) s.charAt(i));
        } else {
            MemorySegment.copy(s.getBytes(StandardCharsets.ISO_8859_1), 0, seg, ValueLayout.JAVA_BYTE, 0, n);
        }
        seg.set(ValueLayout.JAVA_BYTE, n, (byte) 0);
        return seg;
    }

    MemorySegment name(String s) {
        return put(name, s);
    }

    MemorySegment name2(String s) {
        return put(name2, s);
    }

    /** openat2 from the root: {@code rel} ("" for the root) resolved inside it. */
    int openInRoot(String rel, long flags, String what) {
        FileAt.putOpenHow(how, flags, 0, RESOLVE);
        return FileAt.openat2(rootFd, put(path, rel.isEmpty() ? "." : rel), how, what);
    }

    /**
     * An O_PATH fd of the directory {@code rel}, created with its missing parents (mode 0755,
     * as tar does for directories the archive does not list). Owned by the cache: do not close.
     */
    int dir(String rel, String what) {
        if (rel.isEmpty()) return rootFd;
        Integer cached = dirs.get(rel);
        if (cached != null) return cached;
        int fd;
        try {
            fd = openInRoot(rel, DIR_PATH, what);
        } catch (LinuxException e) {
            if (e.errno() != Errno.ENOENT) throw e;
            fd = makeDirs(rel, what, 0);
        }
        remember(rel, fd);
        return fd;
    }

    /** As {@link #dir} without creating anything: -1 when {@code rel} is missing or not a directory. */
    int existingDir(String rel, String what) {
        if (rel.isEmpty()) return rootFd;
        Integer cached = dirs.get(rel);
        if (cached != null) return cached;
        try {
            int fd = openInRoot(rel, DIR_PATH, what);
            remember(rel, fd);
            return fd;
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR) return -1;
            throw e;
        }
    }

    private void remember(String rel, int fd) {
        dirs.put(rel, fd);
        if (dirs.size() > CACHE) {
            var eldest = dirs.entrySet().iterator();
            var e = eldest.next();
            retired.add(e.getValue());
            eldest.remove();
        }
    }

    /**
     * mkdir -p inside the root, one component at a time. A component that exists but does not
     * resolve is a dangling symlink: its target (taken inside the root, as the kernel would
     * resolve it there) is created instead, as securejoin's MkdirAll does for umoci.
     */
    private int makeDirs(String rel, String what, int depth) {
        if (depth > 40) throw new LinuxException("mkdir", Errno.ELOOP, what);
        String[] parts = rel.split("/");
        int parent = rootFd;
        String prefix = "";
        try {
            for (int i = 0; i < parts.length; i++) {
                String comp = parts[i];
                if (comp.isEmpty()) continue;
                String next = prefix.isEmpty() ? comp : prefix + "/" + comp;
                int fd;
                try {
                    fd = openInRoot(next, DIR_PATH, what);
                } catch (LinuxException e) {
                    if (e.errno() != Errno.ENOENT) throw e;
                    try {
                        FileAt.mkdirat(parent, name(comp), 0755, what);
                    } catch (LinuxException made) {
                        if (made.errno() != Errno.EEXIST) throw made;
                        String target = readLink(parent, comp, what);
                        if (target == null) throw made;
                        String rest = String.join("/", java.util.Arrays.asList(parts).subList(i + 1, parts.length));
                        String via = target.startsWith("/") ? target : (prefix.isEmpty() ? target : prefix + "/" + target);
                        return makeDirs(rest.isEmpty() ? via : via + "/" + rest, what, depth + 1);
                    }
                    fd = openInRoot(next, DIR_PATH, what);
                }
                if (parent != rootFd) Fds.closeQuietly(parent);
                parent = fd;
                prefix = next;
            }
            int result = parent;
            parent = rootFd;
            return result;
        } finally {
            if (parent != rootFd) Fds.closeQuietly(parent);
        }
    }

    /** The target of the symlink {@code name} in {@code dirFd}, or null if it is not a symlink. */
    String readLink(int dirFd, String n, String what) {
        try {
            int len = FileAt.readlinkat(dirFd, name(n), path, what);
            byte[] b = path.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE);
            return new String(b, StandardCharsets.ISO_8859_1);
        } catch (LinuxException e) {
            if (e.errno() == Errno.EINVAL || e.errno() == Errno.ENOENT) return null;
            throw e;
        }
    }

    /** The st_mode of {@code n} in {@code dirFd} (not following a symlink), or -1 if it does not exist. */
    int lstatMode(int dirFd, String n, String what) {
        try {
            FileAt.fstatat(dirFd, name(n), stat, FileAt.AT_SYMLINK_NOFOLLOW, what);
            return FileAt.statMode(stat);
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENOENT) return -1;
            throw e;
        }
    }

    /** The cached resolutions may be stale (a directory or symlink was removed or replaced). */
    void invalidate() {
        retired.addAll(dirs.values());
        dirs.clear();
    }

    /** End of an entry: close the fds the cache dropped meanwhile. */
    void endEntry() {
        if (retired.isEmpty()) return;
        for (int fd : retired) Fds.closeQuietly(fd);
        retired.clear();
    }

    /**
     * Removes {@code n} in {@code dirFd} and, if it is a directory, everything in it; never
     * follows a symlink (each level is opened with O_NOFOLLOW relative to the one above).
     * A missing name is not an error.
     */
    void removeTree(int dirFd, String n, String what) {
        int mode = lstatMode(dirFd, n, what);
        if (mode == -1) return;
        int type = mode & FileAt.S_IFMT;
        if (type != FileAt.S_IFDIR) {
            // A symlink gone changes what paths through it resolve to; a file changes nothing cached.
            if (type == FileAt.S_IFLNK) invalidate();
            FileAt.unlinkat(dirFd, name(n), 0, what);
            return;
        }
        invalidate();
        int fd = FileAt.openat(dirFd, name(n), Fds.O_RDONLY | Fds.O_DIRECTORY | Fds.O_NOFOLLOW | Fds.O_CLOEXEC, 0, what);
        try {
            for (String child : list(fd, what)) removeTree(fd, child, what);
        } finally {
            Fds.closeQuietly(fd);
        }
        FileAt.unlinkat(dirFd, name(n), FileAt.AT_REMOVEDIR, what);
    }

    /** The names in the directory open at {@code fd} (without "." and ".."). */
    List<String> list(int fd, String what) {
        if (dirents == null) dirents = arena.allocate(32 << 10);
        List<String> names = new ArrayList<>();
        while (true) {
            int n = FileAt.getdents64(fd, dirents, what);
            if (n == 0) return names;
            int off = 0;
            while (off < n) {
                int reclen = Short.toUnsignedInt(dirents.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + FileAt.DIRENT_RECLEN));
                int start = off + FileAt.DIRENT_NAME;
                int end = start;
                while (dirents.get(ValueLayout.JAVA_BYTE, end) != 0) end++;
                byte[] b = dirents.asSlice(start, end - start).toArray(ValueLayout.JAVA_BYTE);
                String s = new String(b, StandardCharsets.ISO_8859_1);
                if (!s.equals(".") && !s.equals("..")) names.add(s);
                off += reclen;
            }
        }
    }

    @Override
    public void close() {
        invalidate();
        endEntry();
        Fds.closeQuietly(rootFd);
        arena.close();
    }
}
