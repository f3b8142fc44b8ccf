package dev.jrun.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static dev.jrun.linux.Native.C_INT;
import static dev.jrun.linux.Native.C_LONG;

/**
 * Extended attributes (security.capability, trusted.overlay.*, user.*). The fd and *at forms act
 * on what a caller already resolved; the path forms exist for tests and for O_PATH fds reached
 * through /proc/self/fd. As in {@link FileAt}, names and values are native memory the caller owns.
 */
public final class Xattr {
    private Xattr() {}

    public static final int XATTR_CREATE = 1, XATTR_REPLACE = 2;

    private static final long SYS_SETXATTR = 188, SYS_LSETXATTR = 189, SYS_FSETXATTR = 190, SYS_LGETXATTR = 192,
            SYS_FGETXATTR = 193, SYS_SETXATTRAT = 463;

    /** fsetxattr(2) on an fd open for reading or writing (not O_PATH). */
    public static void fsetxattr(int fd, MemorySegment name, MemorySegment value, long size, int flags, String what) {
        Syscall.call("fsetxattr", what, SYS_FSETXATTR, fd, name.address(), value.address(), size, flags, 0);
    }

    /** setxattr(2): follows a final symlink (and /proc/self/fd magic links, to what the fd is open on). */
    public static void setxattr(MemorySegment path, MemorySegment name, MemorySegment value, long size, int flags,
                                String what) {
        Syscall.call("setxattr", what, SYS_SETXATTR, path.address(), name.address(), value.address(), size, flags, 0);
    }

    /**
     * setxattrat(2) (Linux 6.13+): on {@code name} in {@code dirfd}; with AT_SYMLINK_NOFOLLOW, on
     * a symlink itself. ENOSYS on older kernels.
     */
    public static void setxattrat(int dirfd, MemorySegment path, int atFlags, MemorySegment name, MemorySegment value,
                                  long size, int flags, MemorySegment args, String what) {
        // struct xattr_args { __aligned_u64 value; __u32 size; __u32 flags; }
        args.set(C_LONG, 0, value.address());
        args.set(C_INT, 8, (int) size);
        args.set(C_INT, 12, flags);
        Syscall.call("setxattrat", what, SYS_SETXATTRAT, dirfd, path.address(), atFlags, name.address(),
                args.address(), 16);
    }

    /** Size of the struct xattr_args buffer {@link #setxattrat} needs. */
    public static final long XATTR_ARGS_SIZE = 16;

    /** fgetxattr(2) into {@code buf}; returns the value's length. */
    public static long fgetxattr(int fd, MemorySegment name, MemorySegment buf, String what) {
        return Syscall.call("fgetxattr", what, SYS_FGETXATTR, fd, name.address(), buf.address(), buf.byteSize(), 0, 0);
    }

    /** The value of {@code name} on {@code path} itself (a symlink is not followed), or null when absent. */
    public static byte[] lget(String path, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(65536);
            try {
                long n = Syscall.call("lgetxattr", path + " " + name, SYS_LGETXATTR, a.allocateFrom(path).address(),
                        a.allocateFrom(name).address(), buf.address(), buf.byteSize(), 0, 0);
                return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            } catch (LinuxException e) {
                if (e.errno() == Errno.ENODATA) return null;
                throw e;
            }
        }
    }

    /** Sets {@code name} on {@code path} itself (lsetxattr: a symlink is not followed). */
    public static void lset(String path, String name, byte[] value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(Math.max(1, value.length));
            v.copyFrom(MemorySegment.ofArray(value));
            Syscall.call("lsetxattr", path + " " + name, SYS_LSETXATTR, a.allocateFrom(path).address(),
                    a.allocateFrom(name, StandardCharsets.UTF_8).address(), v.address(), value.length, 0, 0);
        }
    }
}
