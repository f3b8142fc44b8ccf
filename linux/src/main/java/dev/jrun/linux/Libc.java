package dev.jrun.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static dev.jrun.linux.Native.C_INT;
import static dev.jrun.linux.Native.C_LONG;
import static dev.jrun.linux.Native.C_POINTER;

/**
 * Plain libc calls that take paths or integers and return -1 with errno on failure.
 * Each method names its call and argument in the exception it throws.
 */
public final class Libc {
    private Libc() {}

    private static final FunctionDescriptor I_P = FunctionDescriptor.of(C_INT, C_POINTER);
    private static final FunctionDescriptor I_I = FunctionDescriptor.of(C_INT, C_INT);
    private static final FunctionDescriptor I_II = FunctionDescriptor.of(C_INT, C_INT, C_INT);
    private static final FunctionDescriptor I_PI = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);
    private static final FunctionDescriptor I_PP = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);

    private static final Downcall MOUNT = Downcall.errno("mount",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_LONG, C_POINTER));
    private static final Downcall UMOUNT2 = Downcall.errno("umount2", I_PI);
    private static final Downcall UNSHARE = Downcall.errno("unshare", I_I);
    private static final Downcall SETNS = Downcall.errno("setns", I_II);
    private static final Downcall CHDIR = Downcall.errno("chdir", I_P);
    private static final Downcall FCHDIR = Downcall.errno("fchdir", I_I);
    private static final Downcall CHROOT = Downcall.errno("chroot", I_P);
    private static final Downcall MKNOD = Downcall.errno("mknod",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_LONG));
    private static final Downcall MKFIFO = Downcall.errno("mkfifo", I_PI);
    private static final Downcall SETHOSTNAME = Downcall.errno("sethostname",
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG));
    private static final Downcall SETDOMAINNAME = Downcall.errno("setdomainname",
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG));
    private static final Downcall KILL = Downcall.errno("kill", I_II);
    private static final Downcall WAITPID = Downcall.errno("waitpid",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    private static final Downcall GETPID = Downcall.plain("getpid", FunctionDescriptor.of(C_INT));
    private static final Downcall UMASK = Downcall.plain("umask", I_I);
    private static final Downcall SETRLIMIT = Downcall.errno("setrlimit",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER));
    private static final Downcall PRCTL = Downcall.errnoVariadic("prctl",
            FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_LONG, C_LONG, C_LONG), 1);
    private static final Downcall STATFS = Downcall.errno("statfs", I_PP);
    private static final Downcall SYMLINK = Downcall.errno("symlink", I_PP);
    private static final Downcall LCHOWN = Downcall.errno("lchown",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT));
    private static final Downcall CHMOD = Downcall.errno("chmod", I_PI);
    private static final Downcall EXECVE = Downcall.errno("execve",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER));
    private static final Downcall SETSID = Downcall.errno("setsid", FunctionDescriptor.of(C_INT));

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
            MemorySegment st = Native.callState();
            int rc = (int) MOUNT.h().invokeExact(st, Native.cString(a, source), Native.cString(a, target),
                    Native.cString(a, fstype), flags, Native.cString(a, data));
            Native.check(rc, st, "mount", describeMount(source, target, fstype, flags, data));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
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
            MemorySegment st = Native.callState();
            int rc = (int) UMOUNT2.h().invokeExact(st, a.allocateFrom(target), flags);
            Native.check(rc, st, "umount2", target);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void pivotRoot(String newRoot, String putOld) {
        try (Arena a = Arena.ofConfined()) {
            Syscall.call("pivot_root", newRoot, Syscall.SYS_PIVOT_ROOT, a.allocateFrom(newRoot).address(),
                    a.allocateFrom(putOld).address(), 0, 0, 0, 0);
        }
    }

    public static void unshare(int flags) {
        try {
            MemorySegment st = Native.callState();
            int rc = (int) UNSHARE.h().invokeExact(st, flags);
            Native.check(rc, st, "unshare", "0x" + Integer.toHexString(flags));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void setns(int fd, int nstype, String what) {
        try {
            MemorySegment st = Native.callState();
            int rc = (int) SETNS.h().invokeExact(st, fd, nstype);
            Native.check(rc, st, "setns", what);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void chdir(String path) {
        pathCall(CHDIR, "chdir", path);
    }

    public static void chroot(String path) {
        pathCall(CHROOT, "chroot", path);
    }

    public static void fchdir(int fd) {
        try {
            MemorySegment st = Native.callState();
            int rc = (int) FCHDIR.h().invokeExact(st, fd);
            Native.check(rc, st, "fchdir", "fd " + fd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void pathCall(Downcall h, String name, String path) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Native.callState();
            int rc = (int) h.h().invokeExact(st, a.allocateFrom(path));
            Native.check(rc, st, name, path);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void mknod(String path, int mode, long dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Native.callState();
            int rc = (int) MKNOD.h().invokeExact(st, a.allocateFrom(path), mode, dev);
            Native.check(rc, st, "mknod", path);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** makedev(3) as glibc encodes it. */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    public static void mkfifo(String path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Native.callState();
            int rc = (int) MKFIFO.h().invokeExact(st, a.allocateFrom(path), mode);
            Native.check(rc, st, "mkfifo", path);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void sethostname(String name) {
        nameCall(SETHOSTNAME, "sethostname", name);
    }

    public static void setdomainname(String name) {
        nameCall(SETDOMAINNAME, "setdomainname", name);
    }

    private static void nameCall(Downcall h, String call, String name) {
        try (Arena a = Arena.ofConfined()) {
            byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            MemorySegment seg = a.allocate(bytes.length + 1);
            seg.copyFrom(MemorySegment.ofArray(bytes));
            MemorySegment st = Native.callState();
            int rc = (int) h.h().invokeExact(st, seg, (long) bytes.length);
            Native.check(rc, st, call, name);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void kill(int pid, int sig) {
        try {
            MemorySegment st = Native.callState();
            int rc = (int) KILL.h().invokeExact(st, pid, sig);
            Native.check(rc, st, "kill", "pid " + pid + ", signal " + sig);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static final int WNOHANG = 1;

    /**
     * waitpid(2). Returns null when WNOHANG and the child has not changed state, else
     * {pid, raw status}.
     */
    public static int[] waitpid(int pid, int options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment status = a.allocate(C_INT);
            MemorySegment st = Native.callState();
            while (true) {
                int rc = (int) WAITPID.h().invokeExact(st, pid, status, options);
                if (rc == -1 && Native.errno(st) == Errno.EINTR) continue;
                Native.check(rc, st, "waitpid", "pid " + pid);
                if (rc == 0) return null;
                return new int[] {rc, status.get(C_INT, 0)};
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The shell's convention for a wait status: the exit code, or 128+N when killed by signal N. */
    public static int exitCodeOf(int rawStatus) {
        int sig = rawStatus & 0x7f;
        if (sig == 0) return (rawStatus >> 8) & 0xff;
        return 128 + sig;
    }

    public static int getpid() {
        try {
            return (int) GETPID.h().invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int umask(int mask) {
        try {
            return (int) UMASK.h().invokeExact(mask);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void setrlimit(int resource, long soft, long hard) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(16);
            r.set(C_LONG, 0, soft);
            r.set(C_LONG, 8, hard);
            MemorySegment st = Native.callState();
            int rc = (int) SETRLIMIT.h().invokeExact(st, resource, r);
            Native.check(rc, st, "setrlimit", "resource " + resource + ", soft " + Long.toUnsignedString(soft)
                    + ", hard " + Long.toUnsignedString(hard));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int prctl(int option, long a2, long a3, long a4, long a5) {
        try {
            MemorySegment st = Native.callState();
            int rc = (int) PRCTL.h().invokeExact(st, option, a2, a3, a4, a5);
            return Native.check(rc, st, "prctl", "option " + option + ", " + a2);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** statfs(2)'s f_type: the filesystem magic of what holds {@code path}. */
    public static long statfsType(String path) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(120);
            MemorySegment st = Native.callState();
            int rc = (int) STATFS.h().invokeExact(st, a.allocateFrom(path), buf);
            Native.check(rc, st, "statfs", path);
            return buf.get(C_LONG, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** statfs(2)'s f_flags (ST_* bits) of the mount holding {@code path}. */
    public static long statfsFlags(String path) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(120);
            MemorySegment st = Native.callState();
            int rc = (int) STATFS.h().invokeExact(st, a.allocateFrom(path), buf);
            Native.check(rc, st, "statfs", path);
            return buf.get(C_LONG, 80);
        } catch (Throwable t) {
            throw Native.rethrow(t);
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
            MemorySegment st = Native.callState();
            int rc = (int) SYMLINK.h().invokeExact(st, a.allocateFrom(target), a.allocateFrom(linkPath));
            Native.check(rc, st, "symlink", linkPath + " -> " + target);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void lchown(String path, int uid, int gid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Native.callState();
            int rc = (int) LCHOWN.h().invokeExact(st, a.allocateFrom(path), uid, gid);
            Native.check(rc, st, "lchown", path);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void chmod(String path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Native.callState();
            int rc = (int) CHMOD.h().invokeExact(st, a.allocateFrom(path), mode);
            Native.check(rc, st, "chmod", path);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void setsid() {
        try {
            MemorySegment st = Native.callState();
            int rc = (int) SETSID.h().invokeExact(st);
            Native.check(rc, st, "setsid", "");
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** execve(2): returns only by throwing. */
    public static void execve(String path, java.util.List<String> args, java.util.List<String> env) {
        Arena a = Arena.ofConfined(); // never closed on success: the process image is replaced
        MemorySegment argv = stringArray(a, args);
        MemorySegment envp = stringArray(a, env);
        MemorySegment st = Native.callState();
        int rc;
        try {
            rc = (int) EXECVE.h().invokeExact(st, a.allocateFrom(path), argv, envp);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        int errno = Native.errno(st);
        a.close();
        throw new LinuxException("execve", rc == -1 ? errno : Errno.EINVAL, path);
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
