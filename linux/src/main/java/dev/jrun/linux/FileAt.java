package dev.jrun.linux;

import java.lang.foreign.MemorySegment;

import static dev.jrun.linux.Native.C_INT;
import static dev.jrun.linux.Native.C_LONG;

/**
 * The *at file system calls, for code that resolves a directory once (openat2 with
 * RESOLVE_IN_ROOT) and then acts on one name inside it, never walking a path again.
 *
 * <p>Names, targets and buffers are passed as native memory the caller owns (NUL-terminated C
 * strings for names), so that a loop over thousands of entries (unpacking an image layer)
 * encodes each name once into a reused buffer and makes no allocation per call. {@code what}
 * is only used in the exception message: pass a String that already exists (the entry's path).
 * Every call goes through {@link Syscall}; x86_64 numbers.
 */
public final class FileAt {
    private FileAt() {}

    public static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400,
            AT_EMPTY_PATH = 0x1000;
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 0060000, S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFIFO = 0010000;
    /** utimensat's tv_nsec values meaning "now" and "leave alone". */
    public static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;

    private static final long SYS_WRITE = 1, SYS_FCHMOD = 91, SYS_FCHOWN = 93, SYS_GETDENTS64 = 217,
            SYS_OPENAT = 257, SYS_MKDIRAT = 258, SYS_MKNODAT = 259, SYS_FCHOWNAT = 260, SYS_NEWFSTATAT = 262,
            SYS_UNLINKAT = 263, SYS_LINKAT = 265, SYS_SYMLINKAT = 266, SYS_READLINKAT = 267, SYS_FCHMODAT = 268,
            SYS_UTIMENSAT = 280, SYS_FCHMODAT2 = 452;

    /** openat(2); EINTR is retried (opening a FIFO can be interrupted). */
    public static int openat(int dirfd, MemorySegment name, int flags, int mode, String what) {
        while (true) {
            try {
                return (int) Syscall.call("open", what, SYS_OPENAT, dirfd, name.address(), flags, mode, 0, 0);
            } catch (LinuxException e) {
                if (e.errno() != Errno.EINTR) throw e;
            }
        }
    }

    /** Size of struct open_how. */
    public static final long OPEN_HOW_SIZE = 24;

    /** Fills a struct open_how for {@link #openat2}. */
    public static void putOpenHow(MemorySegment how, long flags, long mode, long resolve) {
        how.set(C_LONG, 0, flags);
        how.set(C_LONG, 8, mode);
        how.set(C_LONG, 16, resolve);
    }

    /**
     * openat2(2) with a struct open_how the caller filled ({@link #putOpenHow}). As in
     * {@link Fds#openat2}, EAGAIN (a rename or mount raced a RESOLVE_IN_ROOT ".." lookup) and
     * EINTR are retried a bounded number of times.
     */
    public static int openat2(int dirfd, MemorySegment name, MemorySegment how, String what) {
        for (int attempt = 0; ; attempt++) {
            try {
                return (int) Syscall.call("openat2", what, Syscall.SYS_OPENAT2, dirfd, name.address(), how.address(),
                        OPEN_HOW_SIZE, 0, 0);
            } catch (LinuxException e) {
                if ((e.errno() != Errno.EAGAIN && e.errno() != Errno.EINTR) || attempt >= 128) throw e;
            }
        }
    }

    public static void mkdirat(int dirfd, MemorySegment name, int mode, String what) {
        Syscall.call("mkdirat", what, SYS_MKDIRAT, dirfd, name.address(), mode, 0, 0, 0);
    }

    /** mknodat(2); {@code mode} carries the file type (S_IFCHR, S_IFBLK, S_IFIFO) and permissions. */
    public static void mknodat(int dirfd, MemorySegment name, int mode, long dev, String what) {
        Syscall.call("mknodat", what, SYS_MKNODAT, dirfd, name.address(), mode, dev, 0, 0);
    }

    public static void symlinkat(MemorySegment target, int dirfd, MemorySegment name, String what) {
        Syscall.call("symlinkat", what, SYS_SYMLINKAT, target.address(), dirfd, name.address(), 0, 0, 0);
    }

    /** linkat(2); flags 0 links a final symlink itself rather than what it points to. */
    public static void linkat(int oldDirfd, MemorySegment oldName, int newDirfd, MemorySegment newName, int flags,
                              String what) {
        Syscall.call("linkat", what, SYS_LINKAT, oldDirfd, oldName.address(), newDirfd, newName.address(), flags, 0);
    }

    public static void unlinkat(int dirfd, MemorySegment name, int flags, String what) {
        Syscall.call("unlinkat", what, SYS_UNLINKAT, dirfd, name.address(), flags, 0, 0, 0);
    }

    /** readlinkat(2) into {@code buf}; returns the length (not NUL-terminated). */
    public static int readlinkat(int dirfd, MemorySegment name, MemorySegment buf, String what) {
        return (int) Syscall.call("readlinkat", what, SYS_READLINKAT, dirfd, name.address(), buf.address(),
                buf.byteSize(), 0, 0);
    }

    public static void fchownat(int dirfd, MemorySegment name, int uid, int gid, int flags, String what) {
        Syscall.call("lchown", what, SYS_FCHOWNAT, dirfd, name.address(), uid, gid, flags, 0);
    }

    public static void fchown(int fd, int uid, int gid, String what) {
        Syscall.call("fchown", what, SYS_FCHOWN, fd, uid, gid, 0, 0, 0);
    }

    public static void fchmod(int fd, int mode, String what) {
        Syscall.call("fchmod", what, SYS_FCHMOD, fd, mode, 0, 0, 0, 0);
    }

    /** fchmodat(2): follows a final symlink (the kernel's fchmodat has no flags). */
    public static void fchmodat(int dirfd, MemorySegment name, int mode, String what) {
        Syscall.call("chmod", what, SYS_FCHMODAT, dirfd, name.address(), mode, 0, 0, 0);
    }

    /** fchmodat2(2) (Linux 6.6+), which takes AT_SYMLINK_NOFOLLOW; ENOSYS on older kernels. */
    public static void fchmodat2(int dirfd, MemorySegment name, int mode, int flags, String what) {
        Syscall.call("chmod", what, SYS_FCHMODAT2, dirfd, name.address(), mode, flags, 0, 0);
    }

    /** Size of the struct timespec[2] that {@link #utimensat} takes. */
    public static final long TIMES_SIZE = 32;

    /** Fills a struct timespec[2] {atime, mtime}. */
    public static void putTimes(MemorySegment times, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) {
        times.set(C_LONG, 0, atimeSec);
        times.set(C_LONG, 8, atimeNsec);
        times.set(C_LONG, 16, mtimeSec);
        times.set(C_LONG, 24, mtimeNsec);
    }

    /** utimensat(2) on {@code name} in {@code dirfd}; with a NULL name, on the fd itself (futimens). */
    public static void utimensat(int dirfd, MemorySegment name, MemorySegment times, int flags, String what) {
        Syscall.call("utimensat", what, SYS_UTIMENSAT, dirfd, name == null ? 0 : name.address(), times.address(),
                flags, 0, 0);
    }

    /** write(2) of {@code len} bytes at {@code buf}, all of them (EINTR and short writes retried). */
    public static void writeFully(int fd, MemorySegment buf, long len, String what) {
        long off = 0;
        while (off < len) {
            try {
                off += Syscall.call("write", what, SYS_WRITE, fd, buf.address() + off, len - off, 0, 0, 0);
            } catch (LinuxException e) {
                if (e.errno() != Errno.EINTR) throw e;
            }
        }
    }

    // struct stat on x86_64 (asm/stat.h), 144 bytes.
    public static final long STAT_SIZE = 144;
    private static final long ST_DEV = 0, ST_INO = 8, ST_NLINK = 16, ST_MODE = 24, ST_UID = 28, ST_GID = 32,
            ST_RDEV = 40, ST_SIZE = 48, ST_MTIME = 88, ST_MTIME_NSEC = 96;

    /** newfstatat(2) into {@code st} (at least {@link #STAT_SIZE} bytes). */
    public static void fstatat(int dirfd, MemorySegment name, MemorySegment st, int flags, String what) {
        Syscall.call("fstatat", what, SYS_NEWFSTATAT, dirfd, name.address(), st.address(), flags, 0, 0);
    }

    public static long statDev(MemorySegment st) { return st.get(C_LONG, ST_DEV); }
    public static long statIno(MemorySegment st) { return st.get(C_LONG, ST_INO); }
    public static long statNlink(MemorySegment st) { return st.get(C_LONG, ST_NLINK); }
    public static int statMode(MemorySegment st) { return st.get(C_INT, ST_MODE); }
    public static int statUid(MemorySegment st) { return st.get(C_INT, ST_UID); }
    public static int statGid(MemorySegment st) { return st.get(C_INT, ST_GID); }
    public static long statRdev(MemorySegment st) { return st.get(C_LONG, ST_RDEV); }
    public static long statSize(MemorySegment st) { return st.get(C_LONG, ST_SIZE); }
    public static long statMtimeSec(MemorySegment st) { return st.get(C_LONG, ST_MTIME); }
    public static long statMtimeNsec(MemorySegment st) { return st.get(C_LONG, ST_MTIME_NSEC); }

    /**
     * getdents64(2) into {@code buf}; returns the bytes filled, 0 at the end. Each record is
     * d_ino (8), d_off (8), d_reclen (2), d_type (1), then the NUL-terminated name.
     */
    public static int getdents64(int fd, MemorySegment buf, String what) {
        return (int) Syscall.call("getdents64", what, SYS_GETDENTS64, fd, buf.address(), buf.byteSize(), 0, 0, 0);
    }

    /** Offsets in a getdents64 record. */
    public static final int DIRENT_RECLEN = 16, DIRENT_TYPE = 18, DIRENT_NAME = 19;
    /** d_type values. */
    public static final int DT_UNKNOWN = 0, DT_DIR = 4, DT_LNK = 10;
}
