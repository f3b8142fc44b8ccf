package dev.jrun.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.jrun.linux.Native.C_INT;
import static dev.jrun.linux.Native.C_LONG;
import static dev.jrun.linux.Native.C_POINTER;

/**
 * The system calls jrun makes on paths and processes. Each goes through {@link Syscall}, one
 * downcall for all of them: linking an FFM downcall costs milliseconds per distinct function even
 * with the AOT cache, and every jrun command and container init is a fresh JVM. Each method names
 * its call and argument in the exception it throws.
 */
public final class Libc {
    private Libc() {}

    // x86_64 syscall numbers.
    private static final long SYS_KILL = 62, SYS_WAIT4 = 61, SYS_CHDIR = 80, SYS_FCHDIR = 81,
            SYS_UMASK = 95, SYS_GETPID = 39, SYS_EXECVE = 59, SYS_SETSID = 112, SYS_STATFS = 137, SYS_PRCTL = 157,
            SYS_CHROOT = 161, SYS_MOUNT = 165, SYS_UMOUNT2 = 166, SYS_SETHOSTNAME = 170, SYS_SETDOMAINNAME = 171,
            SYS_MKNODAT = 259, SYS_FCHOWNAT = 260, SYS_SYMLINKAT = 266, SYS_FCHMODAT = 268, SYS_UNSHARE = 272,
            SYS_PRLIMIT64 = 302, SYS_MKDIRAT = 258, SYS_UNLINKAT = 263;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    // mount(2) flags.
    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024,
            MS_NODIRATIME = 2048, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768,
            MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20,
            MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24, MS_LAZYTIME = 1 << 25;
    public static final int MNT_FORCE = 1, MNT_DETACH = 2, MNT_EXPIRE = 4, UMOUNT_NOFOLLOW = 8;

    // prctl(2) options.
    public static final int PR_SET_PDEATHSIG = 1, PR_SET_DUMPABLE = 4, PR_SET_KEEPCAPS = 8,
            PR_CAPBSET_DROP = 24, PR_SET_CHILD_SUBREAPER = 36, PR_SET_NO_NEW_PRIVS = 38,
            PR_CAP_AMBIENT = 47, PR_CAP_AMBIENT_RAISE = 2, PR_CAP_AMBIENT_CLEAR_ALL = 4;

    public static final int S_IFIFO = 0010000, S_IFCHR = 0020000, S_IFBLK = 0060000;


    public static void mount(String source, String target, String fstype, long flags, String data) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("mount", describeMount(source, target, fstype, flags, data), SYS_MOUNT,
                    addr(a, source), addr(a, target), addr(a, fstype), flags, addr(a, data), 0);
        }
    }

    /** A C string's address in {@code a}, or 0 for null. */
    static long addr(Arena a, String s) {
        return s == null ? 0 : a.allocateFrom(s).address();
    }

    private static String describeMount(String source, String target, String fstype, long flags, String data) {
        StringBuilder sb = new StringBuilder();
        sb.append(source == null || source.isEmpty() ? "none" : source).append(" on ").append(target);
        if (fstype != null && !fstype.isEmpty()) sb.append(" type ").append(fstype);
        sb.append(" flags 0x").append(Long.toHexString(flags));
        if (data != null && !data.isEmpty()) sb.append(" data ").append(data);
        return sb.toString();
    }

    public static void umount2(String target, int flags) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("umount2", target, SYS_UMOUNT2, addr(a, target), flags, 0, 0, 0, 0);
        }
    }

    public static void pivotRoot(String newRoot, String putOld) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("pivot_root", newRoot, Syscall.SYS_PIVOT_ROOT, addr(a, newRoot), addr(a, putOld), 0, 0, 0, 0);
        }
    }

    public static void unshare(int flags) {
        Syscall.call("unshare", "0x" + Integer.toHexString(flags), SYS_UNSHARE, flags, 0, 0, 0, 0, 0);
    }

    public static void setns(int fd, int nstype, String what) {
        Syscall.call("setns", what, Syscall.SYS_SETNS, fd, nstype, 0, 0, 0, 0);
    }

    public static void chdir(String path) {
        pathCall("chdir", SYS_CHDIR, path);
    }

    public static void chroot(String path) {
        pathCall("chroot", SYS_CHROOT, path);
    }

    public static void fchdir(int fd) {
        Syscall.call("fchdir", "fd " + fd, SYS_FCHDIR, fd, 0, 0, 0, 0, 0);
    }

    private static void pathCall(String name, long nr, String path) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call(name, path, nr, addr(a, path), 0, 0, 0, 0, 0);
        }
    }

    public static void mknod(String path, int mode, long dev) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("mknod", path, SYS_MKNODAT, Fds.AT_FDCWD, addr(a, path), mode, dev, 0, 0);
        }
    }

    /** makedev(3) as glibc encodes it. */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    public static void mkfifo(String path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("mkfifo", path, SYS_MKNODAT, Fds.AT_FDCWD, addr(a, path), S_IFIFO | mode, 0, 0, 0);
        }
    }

    public static void sethostname(String name) {
        nameCall("sethostname", SYS_SETHOSTNAME, name);
    }

    public static void setdomainname(String name) {
        nameCall("setdomainname", SYS_SETDOMAINNAME, name);
    }

    private static void nameCall(String call, long nr, String name) {
        try (Arena a = Arena.ofConfined()) {
            byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            MemorySegment seg = a.allocate(bytes.length + 1);
            seg.copyFrom(MemorySegment.ofArray(bytes));
            Syscall.call(call, name, nr, seg.address(), bytes.length, 0, 0, 0, 0);
        }
    }

    public static void kill(int pid, int sig) {
        Syscall.call("kill", "pid " + pid + ", signal " + sig, SYS_KILL, pid, sig, 0, 0, 0, 0);
    }

    public static final int WNOHANG = 1;

    /**
     * waitpid(2). Returns null when WNOHANG and the child has not changed state, else
     * {pid, raw status}.
     */
    public static int[] waitpid(int pid, int options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment status = a.allocate(C_INT);
            while (true) {
                long rc;
                try {
                    rc = Syscall.call("waitpid", "pid " + pid, SYS_WAIT4, pid, status.address(), options, 0, 0, 0);
                } catch (LinuxException e) {
                    if (e.errno() == Errno.EINTR) continue;
                    throw e;
                }
                if (rc == 0) return null;
                return new int[] {(int) rc, status.get(C_INT, 0)};
            }
        }
    }

    /** The shell's convention for a wait status: the exit code, or 128+N when killed by signal N. */
    public static int exitCodeOf(int rawStatus) {
        int sig = rawStatus & 0x7f;
        if (sig == 0) return (rawStatus >> 8) & 0xff;
        return 128 + sig;
    }

    public static int getpid() {
        return (int) Syscall.call("getpid", "", SYS_GETPID, 0, 0, 0, 0, 0, 0);
    }

    public static int umask(int mask) {
        return (int) Syscall.call("umask", "", SYS_UMASK, mask, 0, 0, 0, 0, 0);
    }

    public static void setrlimit(int resource, long soft, long hard) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(16);
            r.set(C_LONG, 0, soft);
            r.set(C_LONG, 8, hard);
            Syscall.call("setrlimit", "resource " + resource + ", soft " + Long.toUnsignedString(soft) + ", hard "
                    + Long.toUnsignedString(hard), SYS_PRLIMIT64, 0, resource, r.address(), 0, 0, 0);
        }
    }

    public static int prctl(int option, long a2, long a3, long a4, long a5) {
        return (int) Syscall.call("prctl", "option " + option + ", " + a2, SYS_PRCTL, option, a2, a3, a4, a5, 0);
    }

    private static MemorySegment statfs(Arena a, String path) {
        MemorySegment buf = a.allocate(120);
        Syscall.call("statfs", path, SYS_STATFS, addr(a, path), buf.address(), 0, 0, 0, 0);
        return buf;
    }

    /** statfs(2)'s f_type: the filesystem magic of what holds {@code path}. */
    public static long statfsType(String path) {
        try (Arena a = Arena.ofConfined()) {
            return statfs(a, path).get(C_LONG, 0);
        }
    }

    /** statfs(2)'s f_flags (ST_* bits) of the mount holding {@code path}. */
    public static long statfsFlags(String path) {
        try (Arena a = Arena.ofConfined()) {
            return statfs(a, path).get(C_LONG, 80);
        }
    }

    /**
     * The MS_* flags to repeat when remounting {@code path}: a bind remount must restate the
     * mount's nosuid/nodev/noexec/atime flags or the kernel refuses (locked flags) or drops them.
     */
    public static long mountFlagsOf(String path) {
        long st = statfsFlags(path);
        long ms = 0;
        if ((st & 1) != 0) ms |= MS_RDONLY;
        if ((st & 2) != 0) ms |= MS_NOSUID;
        if ((st & 4) != 0) ms |= MS_NODEV;
        if ((st & 8) != 0) ms |= MS_NOEXEC;
        if ((st & 16) != 0) ms |= MS_SYNCHRONOUS;
        if ((st & 64) != 0) ms |= MS_MANDLOCK;
        if ((st & 1024) != 0) ms |= MS_NOATIME;
        if ((st & 2048) != 0) ms |= MS_NODIRATIME;
        if ((st & 4096) != 0) ms |= MS_RELATIME;
        if ((st & 8192) != 0) ms |= MS_NOSYMFOLLOW;
        return ms;
    }

    public static void symlink(String target, String linkPath) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("symlink", linkPath + " -> " + target, SYS_SYMLINKAT, addr(a, target), Fds.AT_FDCWD,
                    addr(a, linkPath), 0, 0, 0);
        }
    }

    public static void lchown(String path, int uid, int gid) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("lchown", path, SYS_FCHOWNAT, Fds.AT_FDCWD, addr(a, path), uid, gid, AT_SYMLINK_NOFOLLOW, 0);
        }
    }

    public static void chmod(String path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("chmod", path, SYS_FCHMODAT, Fds.AT_FDCWD, addr(a, path), mode, 0, 0, 0);
        }
    }

    // The *at calls: act on a name inside a directory fd, so no path is walked again (the
    // container init resolves every rootfs path once, through openat2 with RESOLVE_IN_ROOT).

    public static void mkdirat(int dirfd, String name, int mode) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("mkdirat", name, SYS_MKDIRAT, dirfd, addr(a, name), mode, 0, 0, 0);
        }
    }

    public static void mknodat(int dirfd, String name, int mode, long dev) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("mknod", name, SYS_MKNODAT, dirfd, addr(a, name), mode, dev, 0, 0);
        }
    }

    public static void unlinkat(int dirfd, String name, int flags) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("unlinkat", name, SYS_UNLINKAT, dirfd, addr(a, name), flags, 0, 0, 0);
        }
    }

    public static void symlinkat(String target, int dirfd, String name) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("symlink", name + " -> " + target, SYS_SYMLINKAT, addr(a, target), dirfd, addr(a, name), 0, 0, 0);
        }
    }

    /** fchownat without following a final symlink. */
    public static void lchownat(int dirfd, String name, int uid, int gid) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("lchown", name, SYS_FCHOWNAT, dirfd, addr(a, name), uid, gid, AT_SYMLINK_NOFOLLOW, 0);
        }
    }

    public static void fchmodat(int dirfd, String name, int mode) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("chmod", name, SYS_FCHMODAT, dirfd, addr(a, name), mode, 0, 0, 0);
        }
    }

    private static final long SYS_MOUNT_SETATTR = 442, MOUNT_ATTR_NODEV = 0x4;
    private static final int AT_EMPTY_PATH = 0x1000, AT_RECURSIVE = 0x8000;

    /**
     * mount_setattr(2): makes the mount {@code fd} is open on (with {@code recursive}, and every
     * mount below it) nodev. One call, unlike a remount, which reaches the top mount only.
     */
    public static void setNodev(int fd, boolean recursive) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(32); // struct mount_attr: attr_set, attr_clr, propagation, userns_fd
            attr.set(C_LONG, 0, MOUNT_ATTR_NODEV);
            Syscall.call("mount_setattr", fdPath(fd) + " nodev", SYS_MOUNT_SETATTR, fd, addr(a, ""),
                    AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), attr.address(), 32, 0);
        }
    }

    /** The path through which the kernel reaches exactly what {@code fd} is open on. */
    public static String fdPath(int fd) {
        return "/proc/self/fd/" + fd;
    }

    public static void setsid() {
        Syscall.call("setsid", "", SYS_SETSID, 0, 0, 0, 0, 0, 0);
    }

    /** execve(2): returns only by throwing. */
    public static void execve(String path, java.util.List<String> args, java.util.List<String> env) {
        Arena a = Arena.ofConfined(); // never closed on success: the process image is replaced
        MemorySegment argv = stringArray(a, args);
        MemorySegment envp = stringArray(a, env);
        try {
            Syscall.call("execve", path, SYS_EXECVE, addr(a, path), argv.address(), envp.address(), 0, 0, 0);
        } finally {
            a.close();
        }
        throw new LinuxException("execve", Errno.EINVAL, path + " returned");
    }

    /** A NULL-terminated char*[] in {@code arena}. */
    public static MemorySegment stringArray(Arena arena, java.util.List<String> values) {
        MemorySegment arr = arena.allocate(C_POINTER, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            arr.setAtIndex(C_POINTER, i, arena.allocateFrom(values.get(i)));
        }
        arr.setAtIndex(C_POINTER, values.size(), MemorySegment.NULL);
        return arr;
    }
}
