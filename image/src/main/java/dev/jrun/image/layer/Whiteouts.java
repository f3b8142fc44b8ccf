package dev.jrun.image.layer;

import dev.jrun.image.ImageException;
import dev.jrun.linux.Fds;
import dev.jrun.linux.FileAt;
import dev.jrun.linux.Xattr;

import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Set;

/**
 * OCI whiteouts (image-spec layer.md): ".wh.NAME" deletes NAME from the layers below, and
 * ".wh..wh..opq" in a directory hides everything the layers below put in it.
 *
 * <p>OVERLAY mode keeps them in overlayfs's own form, for a snapshot used as a lowerdir: a 0:0
 * character device named NAME (made at the end of the layer, see {@link #finish}), and
 * trusted.overlay.opaque="y" on the directory.
 *
 * <p>FLATTEN mode applies them to what the earlier layers left in the root. A whiteout applies
 * only to lower layers, never to its own layer's members, and an opaque marker may come after
 * siblings from its own layer; so the paths this layer wrote (and their parents) are recorded,
 * and removal skips them (descending into a recorded directory to remove only the rest).
 * The record is by path as written: a member reached through a symlink is recorded under
 * the path written in the archive, not under the resolved one.
 */
final class Whiteouts {
    static final String PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";

    private final RootedFs fs;
    private final boolean flatten;
    /** FLATTEN: what this layer wrote, and every parent of it. */
    private final Set<String> written = new HashSet<>();
    private final Set<String> parents = new HashSet<>();
    private MemorySegment opaqueName, opaqueValue;

    Whiteouts(RootedFs fs, boolean flatten) {
        this.fs = fs;
        this.flatten = flatten;
    }

    /** Whether {@code name} (a last component) is a whiteout; an unknown ".wh." form is an error. */
    static boolean isWhiteout(String name, String entry) {
        if (!name.startsWith(PREFIX)) return false;
        if (name.equals(OPAQUE)) return true;
        String target = name.substring(PREFIX.length());
        if (target.isEmpty() || target.equals(".") || target.equals("..") || target.startsWith(PREFIX))
            throw new ImageException("entry " + TarEntry.display(entry) + ": unsupported whiteout name \""
                    + TarEntry.display(name) + "\"");
        return true;
    }

    /** A ".wh." name as a directory component is never valid. */
    static void checkParent(String parent, String entry) {
        if (!parent.contains(PREFIX)) return;
        for (String c : parent.split("/")) {
            if (c.startsWith(PREFIX))
                throw new ImageException("entry " + TarEntry.display(entry) + ": whiteout name \"" + TarEntry.display(c)
                        + "\" used as a directory");
        }
    }

    /** FLATTEN: records that this layer wrote {@code path}. */
    void wrote(String path) {
        if (!flatten) return;
        written.add(path);
        String p = path;
        while (true) {
            int slash = p.lastIndexOf('/');
            p = slash < 0 ? "" : p.substring(0, slash);
            if (!parents.add(p) || p.isEmpty()) return;
        }
    }

    /** Applies the whiteout {@code e} (cleaned path {@code path}, last component {@code name}). */
    void apply(TarEntry e, String parent, String name, String path) {
        boolean opaque = name.equals(OPAQUE);
        String target = opaque ? null : name.substring(PREFIX.length());
        if (flatten) {
            if (opaque) {
                int dir = fs.dir(parent, path);
                java.util.List<String> children;
                int fd = openReadable(parent, path);
                try {
                    children = fs.list(fd, path);
                } finally {
                    Fds.closeQuietly(fd);
                }
                for (String child : children) removeLower(dir, child, EntryPath.child(parent, child));
            } else {
                int dir = fs.existingDir(parent, path);
                if (dir >= 0) removeLower(dir, target, EntryPath.child(parent, target));
            }
            return;
        }
        if (opaque) {
            fs.dir(parent, path); // it may not be listed before its marker
            setOpaque(parent, true); // a parent: reached through symlinks inside the root, as any
            return;
        }
        fs.dir(parent, path); // as tar would, make the directory even if nothing else is in it
        pending.add(new Pending(parent, target, e));
    }

    private record Pending(String parent, String name, TarEntry e) {}

    /** OVERLAY: ".wh.NAME" entries, made into devices at the end of the layer (see {@link #finish}). */
    private final java.util.List<Pending> pending = new java.util.ArrayList<>();

    /**
     * OVERLAY, after the layer's last member: each ".wh.NAME" becomes a 0:0 character device,
     * unless the layer itself wrote NAME (in any order). A whiteout applies to lower layers
     * only, so then a file of this layer already hides the lower one and the whiteout goes,
     * and a directory of this layer is made opaque (the lower one's content is hidden, its
     * own stays), which is what FLATTEN leaves in both orders too.
     */
    void finish() {
        for (Pending p : pending) {
            try {
                make(p);
            } catch (dev.jrun.linux.LinuxException x) {
                throw new ImageException("entry " + TarEntry.display(p.e.path()) + ": " + x.getMessage(), x);
            } finally {
                fs.endEntry();
            }
        }
    }

    private void make(Pending p) {
        String path = EntryPath.child(p.parent, p.name);
        int dir = fs.dir(p.parent, path);
        int mode = fs.lstatMode(dir, p.name, path);
        if (mode == -1) {
            TarEntry e = p.e;
            FileAt.mknodat(dir, fs.name(p.name), FileAt.S_IFCHR, 0, path);
            FileAt.fchownat(dir, fs.name(p.name), e.uid(), e.gid(), FileAt.AT_SYMLINK_NOFOLLOW, path);
            FileAt.putTimes(fs.times, e.atimeSec(), e.atimeNsec(), e.mtimeSec(), e.mtimeNsec());
            FileAt.utimensat(dir, fs.name(p.name), fs.times, FileAt.AT_SYMLINK_NOFOLLOW, path);
        } else if ((mode & FileAt.S_IFMT) == FileAt.S_IFDIR) {
            setOpaque(path, false);
        }
    }

    private void setOpaque(String dirPath, boolean follow) {
        int fd = fs.openInRoot(dirPath, Fds.O_RDONLY | Fds.O_DIRECTORY | Fds.O_CLOEXEC | (follow ? 0 : Fds.O_NOFOLLOW), dirPath);
        try {
            if (opaqueName == null) {
                opaqueName = RootedFs.put(fs.arena.allocate(32), "trusted.overlay.opaque");
                opaqueValue = RootedFs.put(fs.arena.allocate(2), "y");
            }
            Xattr.fsetxattr(fd, opaqueName, opaqueValue, 1, 0, dirPath);
        } finally {
            Fds.closeQuietly(fd);
        }
    }

    /** A readable fd of the directory {@code rel} (for getdents64 and fsetxattr; O_PATH does neither). */
    private int openReadable(String rel, String what) {
        return fs.openInRoot(rel, Fds.O_RDONLY | Fds.O_DIRECTORY | Fds.O_CLOEXEC, what);
    }

    /** FLATTEN: removes {@code n} in {@code dirFd} unless this layer wrote it; descends where it wrote below. */
    private void removeLower(int dirFd, String n, String path) {
        if (!written.contains(path) && !parents.contains(path)) {
            fs.removeTree(dirFd, n, path);
            return;
        }
        int mode = fs.lstatMode(dirFd, n, path);
        if ((mode & FileAt.S_IFMT) != FileAt.S_IFDIR) return; // this layer's own file
        int fd = FileAt.openat(dirFd, fs.name(n), Fds.O_RDONLY | Fds.O_DIRECTORY | Fds.O_NOFOLLOW | Fds.O_CLOEXEC, 0, path);
        try {
            for (String child : fs.list(fd, path)) removeLower(fd, child, path + "/" + child);
        } finally {
            Fds.closeQuietly(fd);
        }
    }
}
