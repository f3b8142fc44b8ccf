package dev.jrun.image.layer;

import dev.jrun.image.ImageException;
import dev.jrun.linux.Errno;
import dev.jrun.linux.Fds;
import dev.jrun.linux.FileAt;
import dev.jrun.linux.Libc;
import dev.jrun.linux.LinuxException;
import dev.jrun.linux.Xattr;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes one tar member into the root: the member by its type, then its metadata.
 *
 * <p>Metadata order matters: chown clears setuid/setgid and security.capability, and writing
 * data clears them too, so it is data, chown, chmod, xattrs, times. Directories get mode and
 * times at the end ({@link DirMetadata}).
 *
 * <p>An existing name is replaced as umoci and containerd do: anything but a directory kept for
 * a directory entry is removed (a directory with all it holds), then the member is made again.
 * Nothing is checked before the create: the create's EEXIST says when to look.
 */
final class EntryWriter {
    private static final int CREATE = Fds.O_WRONLY | Fds.O_CREAT | Fds.O_EXCL | Fds.O_NOFOLLOW | Fds.O_CLOEXEC;
    private static final int WRITE_BUFFER = 1 << 20;

    private final RootedFs fs;
    private final TarReader tar;
    private final Whiteouts whiteouts;
    private final DirMetadata dirs = new DirMetadata();
    private final Consumer<String> warn;
    private final MemorySegment data;
    private final MemorySegment xattrName;
    private MemorySegment xattrValue;
    private MemorySegment xattrArgs;
    private boolean noFchmodat2;
    private boolean noSetxattrat;

    private long entries;
    private long bytes;
    private int warnings;

    EntryWriter(RootedFs fs, TarReader tar, boolean flatten, Consumer<String> warn) {
        this.fs = fs;
        this.tar = tar;
        this.whiteouts = new Whiteouts(fs, flatten);
        this.warn = warn;
        this.data = fs.arena.allocate(WRITE_BUFFER, 4096);
        this.xattrName = fs.arena.allocate(256);
    }

    long entries() { return entries; }
    long bytes() { return bytes; }

    /** Writes {@code e}; failures become an ImageException naming the member. */
    void write(TarEntry e) throws IOException {
        String path = EntryPath.clean(e.path(), e.path(), "entry");
        try {
            dispatch(e, path);
        } catch (LinuxException x) {
            throw new ImageException("entry " + TarEntry.display(e.path()) + ": " + x.getMessage(), x);
        } finally {
            fs.endEntry();
        }
        entries++;
    }

    private void dispatch(TarEntry e, String path) throws IOException {
        if (path.isEmpty()) {
            // The root itself ("./" or "/"): only its metadata can apply.
            if (e.type() != TarEntry.Type.DIR)
                throw new ImageException("entry " + TarEntry.display(e.path()) + ": a " + e.type().name().toLowerCase()
                        + " cannot replace the root directory");
            FileAt.fchownat(fs.rootFd, fs.name("."), e.uid(), e.gid(), FileAt.AT_SYMLINK_NOFOLLOW, "/");
            dirs.add("", e);
            return;
        }
        String parent = EntryPath.parent(path);
        String name = EntryPath.name(path);
        Whiteouts.checkParent(parent, e.path());
        if (Whiteouts.isWhiteout(name, e.path())) {
            whiteouts.apply(e, parent, name, path);
            return;
        }
        int dir = fs.dir(parent, path);
        switch (e.type()) {
            case FILE -> file(e, dir, name, path);
            case DIR -> directory(e, dir, name, path);
            case SYMLINK -> symlink(e, dir, name, path);
            case HARDLINK -> hardLink(e, dir, name, path);
            case CHAR, BLOCK, FIFO -> node(e, dir, name, path);
        }
        whiteouts.wrote(path);
    }

    private void file(TarEntry e, int dir, String name, String path) throws IOException {
        int fd;
        try {
            fd = FileAt.openat(dir, fs.name(name), CREATE, 0600, path);
        } catch (LinuxException x) {
            if (x.errno() != Errno.EEXIST) throw x;
            replace(dir, name, path);
            fd = FileAt.openat(dir, fs.name(name), CREATE, 0600, path);
        }
        try {
            copyData(fd, path);
            FileAt.fchown(fd, e.uid(), e.gid(), path);
            FileAt.fchmod(fd, e.mode(), path);
            for (TarEntry.Xattr x : e.xattrs()) setXattr(fd, x, path);
            FileAt.putTimes(fs.times, e.atimeSec(), e.atimeNsec(), e.mtimeSec(), e.mtimeNsec());
            FileAt.utimensat(fd, null, fs.times, 0, path);
        } finally {
            Fds.closeQuietly(fd);
        }
    }

    /** The member's data from the tar reader's buffer to the file, through one reused native buffer. */
    private void copyData(int fd, String path) throws IOException {
        long fill = 0;
        byte[] src = tar.buffer();
        int n;
        while ((n = tar.nextData()) > 0) {
            int at = tar.dataPos();
            while (n > 0) {
                int k = (int) Math.min(n, WRITE_BUFFER - fill);
                MemorySegment.copy(src, at, data, ValueLayout.JAVA_BYTE, fill, k);
                fill += k;
                at += k;
                n -= k;
                if (fill == WRITE_BUFFER) {
                    FileAt.writeFully(fd, data, fill, path);
                    bytes += fill;
                    fill = 0;
                }
            }
        }
        if (fill > 0) {
            FileAt.writeFully(fd, data, fill, path);
            bytes += fill;
        }
    }

    private void directory(TarEntry e, int dir, String name, String path) {
        try {
            FileAt.mkdirat(dir, fs.name(name), 0700, path);
        } catch (LinuxException x) {
            if (x.errno() != Errno.EEXIST) throw x;
            int mode = fs.lstatMode(dir, name, path);
            if ((mode & FileAt.S_IFMT) != FileAt.S_IFDIR) {
                replace(dir, name, path);
                FileAt.mkdirat(dir, fs.name(name), 0700, path);
            }
        }
        FileAt.fchownat(dir, fs.name(name), e.uid(), e.gid(), FileAt.AT_SYMLINK_NOFOLLOW, path);
        if (!e.xattrs().isEmpty()) {
            int fd = FileAt.openat(dir, fs.name(name), Fds.O_RDONLY | Fds.O_DIRECTORY | Fds.O_NOFOLLOW | Fds.O_CLOEXEC, 0, path);
            try {
                for (TarEntry.Xattr x : e.xattrs()) setXattr(fd, x, path);
            } finally {
                Fds.closeQuietly(fd);
            }
        }
        dirs.add(path, e);
    }

    private void symlink(TarEntry e, int dir, String name, String path) {
        // The target is written as it is: resolved later, at run time, inside the container.
        if (e.linkName().isEmpty()) throw new ImageException("entry " + TarEntry.display(e.path()) + ": symlink with an empty target");
        MemorySegment target = fs.name2(e.linkName());
        try {
            FileAt.symlinkat(target, dir, fs.name(name), path);
        } catch (LinuxException x) {
            if (x.errno() != Errno.EEXIST) throw x;
            replace(dir, name, path);
            FileAt.symlinkat(fs.name2(e.linkName()), dir, fs.name(name), path);
        }
        // No cache invalidation: the name was free (or just removed, which invalidated), so no
        // cached directory was resolved through it.
        FileAt.fchownat(dir, fs.name(name), e.uid(), e.gid(), FileAt.AT_SYMLINK_NOFOLLOW, path);
        if (!e.xattrs().isEmpty()) setXattrsByName(dir, name, path, true, e.xattrs());
        FileAt.putTimes(fs.times, e.atimeSec(), e.atimeNsec(), e.mtimeSec(), e.mtimeNsec());
        FileAt.utimensat(dir, fs.name(name), fs.times, FileAt.AT_SYMLINK_NOFOLLOW, path);
    }

    /**
     * A hard link. Its target is resolved inside the root like any path (its directory through
     * openat2, its last component by linkat, which does not follow a symlink there): a target
     * that escapes is an error, and one that names a symlink links the symlink, never what it
     * points to, so no file outside the root can be linked in.
     */
    private void hardLink(TarEntry e, int dir, String name, String path) {
        String target = EntryPath.clean(e.linkName(), e.path(), "link target");
        if (target.isEmpty()) throw new ImageException("entry " + TarEntry.display(e.path()) + ": hard link to the root directory");
        if (target.equals(path)) return; // a link to itself: nothing to do
        String tparent = EntryPath.parent(target);
        String tname = EntryPath.name(target);
        int tdir = fs.existingDir(tparent, path);
        if (tdir < 0) throw missingTarget(e);
        // dir may have been dropped from the cache by the lookup above, but stays open until endEntry.
        try {
            FileAt.linkat(tdir, fs.name2(tname), dir, fs.name(name), 0, path + " -> " + target);
        } catch (LinuxException x) {
            if (x.errno() == Errno.ENOENT) throw missingTarget(e);
            if (x.errno() != Errno.EEXIST) throw x;
            if (sameFile(tdir, tname, dir, name, path)) return;
            replace(dir, name, path);
            FileAt.linkat(tdir, fs.name2(tname), dir, fs.name(name), 0, path + " -> " + target);
        }
    }

    private ImageException missingTarget(TarEntry e) {
        return new ImageException("entry " + TarEntry.display(e.path()) + ": hard link target "
                + TarEntry.display(e.linkName()) + " does not exist (in this layer or below)");
    }

    private boolean sameFile(int d1, String n1, int d2, String n2, String path) {
        FileAt.fstatat(d1, fs.name(n1), fs.stat, FileAt.AT_SYMLINK_NOFOLLOW, path);
        long dev = FileAt.statDev(fs.stat), ino = FileAt.statIno(fs.stat);
        FileAt.fstatat(d2, fs.name(n2), fs.stat, FileAt.AT_SYMLINK_NOFOLLOW, path);
        return dev == FileAt.statDev(fs.stat) && ino == FileAt.statIno(fs.stat);
    }

    /** Character and block devices and FIFOs. */
    private void node(TarEntry e, int dir, String name, String path) {
        int type = switch (e.type()) {
            case CHAR -> FileAt.S_IFCHR;
            case BLOCK -> FileAt.S_IFBLK;
            default -> FileAt.S_IFIFO;
        };
        long dev = e.type() == TarEntry.Type.FIFO ? 0 : Libc.makedev(e.devMajor(), e.devMinor());
        try {
            try {
                FileAt.mknodat(dir, fs.name(name), type | (e.mode() & 0777), dev, path);
            } catch (LinuxException x) {
                if (x.errno() != Errno.EEXIST) throw x;
                replace(dir, name, path);
                FileAt.mknodat(dir, fs.name(name), type | (e.mode() & 0777), dev, path);
            }
        } catch (LinuxException x) {
            if (x.errno() == Errno.EPERM && type != FileAt.S_IFIFO) {
                // Unprivileged (rootless): the node cannot exist here; the container's runtime
                // binds devices from the host anyway.
                warning("skipped device " + TarEntry.display(path) + " (" + e.devMajor() + ":" + e.devMinor()
                        + "): mknod is not permitted");
                return;
            }
            throw x;
        }
        FileAt.fchownat(dir, fs.name(name), e.uid(), e.gid(), FileAt.AT_SYMLINK_NOFOLLOW, path);
        chmodByName(dir, name, e.mode(), path);
        if (!e.xattrs().isEmpty()) setXattrsByName(dir, name, path, false, e.xattrs());
        FileAt.putTimes(fs.times, e.atimeSec(), e.atimeNsec(), e.mtimeSec(), e.mtimeNsec());
        FileAt.utimensat(dir, fs.name(name), fs.times, FileAt.AT_SYMLINK_NOFOLLOW, path);
    }

    /**
     * chmod of a node this entry just made (never a symlink). fchmodat2 with AT_SYMLINK_NOFOLLOW
     * where the kernel has it (6.6+); else fchmodat, sound here because the name was created
     * by the mknodat just before and the root belongs to this unpack.
     */
    private void chmodByName(int dir, String name, int mode, String path) {
        if (!noFchmodat2) {
            try {
                FileAt.fchmodat2(dir, fs.name(name), mode, FileAt.AT_SYMLINK_NOFOLLOW, path);
                return;
            } catch (LinuxException x) {
                if (x.errno() != Errno.ENOSYS) throw x;
                noFchmodat2 = true;
            }
        }
        FileAt.fchmodat(dir, fs.name(name), mode, path);
    }

    /** Removes what is in the way of a new member (umoci's and containerd's rule: all of it). */
    private void replace(int dir, String name, String path) {
        fs.removeTree(dir, name, path);
    }

    private void setXattr(int fd, TarEntry.Xattr x, String path) {
        MemorySegment value = xattrValue(x);
        try {
            Xattr.fsetxattr(fd, RootedFs.put(xattrName, x.name()), value, x.value().length, 0, path);
        } catch (LinuxException e) {
            xattrFailed(e, x, path);
        }
    }

    /**
     * Xattrs on a node reached by name (devices, FIFOs, symlinks): setxattrat (Linux 6.13+)
     * acts on the name without following it; before that, a non-symlink is reached through an
     * O_PATH fd's /proc/self/fd link, and a symlink's xattrs are skipped with a warning.
     */
    private void setXattrsByName(int dir, String name, String path, boolean symlink, List<TarEntry.Xattr> xattrs) {
        for (TarEntry.Xattr x : xattrs) {
            MemorySegment value = xattrValue(x);
            try {
                if (!noSetxattrat) {
                    try {
                        if (xattrArgs == null) xattrArgs = fs.arena.allocate(Xattr.XATTR_ARGS_SIZE);
                        Xattr.setxattrat(dir, fs.name(name), FileAt.AT_SYMLINK_NOFOLLOW, RootedFs.put(xattrName, x.name()),
                                value, x.value().length, 0, xattrArgs, path);
                        continue;
                    } catch (LinuxException e) {
                        if (e.errno() != Errno.ENOSYS) throw e;
                        noSetxattrat = true;
                    }
                }
                if (symlink) {
                    warning("skipped xattr " + TarEntry.display(x.name()) + " on symlink " + TarEntry.display(path)
                            + ": this kernel cannot set xattrs on a symlink by fd");
                    continue;
                }
                int fd = FileAt.openat(dir, fs.name(name), Fds.O_PATH | Fds.O_NOFOLLOW | Fds.O_CLOEXEC, 0, path);
                try {
                    Xattr.setxattr(fs.name("/proc/self/fd/" + fd), RootedFs.put(xattrName, x.name()), value,
                            x.value().length, 0, path);
                } finally {
                    Fds.closeQuietly(fd);
                }
            } catch (LinuxException e) {
                xattrFailed(e, x, path);
            }
        }
    }

    private MemorySegment xattrValue(TarEntry.Xattr x) {
        int n = x.value().length;
        if (xattrValue == null || xattrValue.byteSize() < Math.max(1, n)) xattrValue = fs.arena.allocate(Math.max(4096, n));
        MemorySegment.copy(x.value(), 0, xattrValue, ValueLayout.JAVA_BYTE, 0, n);
        return xattrValue;
    }

    /**
     * A filesystem without xattr support, or a namespace this process may not write (trusted.*,
     * security.* unprivileged), costs the attribute, with a warning; anything else is an error.
     */
    private void xattrFailed(LinuxException e, TarEntry.Xattr x, String path) {
        if (e.errno() == Errno.EOPNOTSUPP || e.errno() == Errno.EPERM) {
            warning("skipped xattr " + TarEntry.display(x.name()) + " on " + TarEntry.display(path) + ": " + Errno.name(e.errno()));
            return;
        }
        throw e;
    }

    private void warning(String message) {
        warnings++;
        if (warnings <= 20) warn.accept(message);
        else if (warnings == 21) warn.accept("more warnings of this layer are not shown");
    }

    /** After the last member: the directories' modes and times. */
    void finish() {
        try {
            whiteouts.finish();
            dirs.apply(fs);
        } catch (LinuxException x) {
            throw new ImageException("setting directory metadata: " + x.getMessage(), x);
        }
    }

}
