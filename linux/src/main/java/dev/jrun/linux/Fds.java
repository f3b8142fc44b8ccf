package dev.jrun.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

import static dev.jrun.linux.Native.C_INT;
import static dev.jrun.linux.Native.C_LONG;
import static dev.jrun.linux.Native.C_POINTER;

/** File descriptors as plain ints: open, read, write, close, pipes and socket pairs. */
public final class Fds {
    private Fds() {}

    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200,
            O_NOCTTY = 0400, O_TRUNC = 01000, O_APPEND = 02000, O_NONBLOCK = 04000, O_DIRECTORY = 0200000,
            O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000, O_PATH = 010000000;
    public static final int AT_FDCWD = -100;
    public static final int F_GETFD = 1, F_SETFD = 2, FD_CLOEXEC = 1;
    public static final long RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04,
            RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10;
    public static final int CLOSE_RANGE_CLOEXEC = 1 << 2;
    public static final int AF_UNIX = 1, AF_INET = 2, SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = O_CLOEXEC;

    private static final Downcall OPENAT = Downcall.errnoVariadic("openat",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT), 3);
    private static final Downcall CLOSE = Downcall.errno("close", FunctionDescriptor.of(C_INT, C_INT));
    private static final Downcall READ = Downcall.errno("read",
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final Downcall WRITE = Downcall.errno("write",
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final Downcall DUP3 = Downcall.errno("dup3",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
    private static final Downcall PIPE2 = Downcall.errno("pipe2",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    private static final Downcall SOCKETPAIR = Downcall.errno("socketpair",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER));
    private static final Downcall SOCKET = Downcall.errno("socket",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
    private static final Downcall FCNTL = Downcall.errnoVariadic("fcntl",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT), 2);
    private static final Downcall IOCTL = Downcall.errnoVariadic("ioctl",
            FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER), 2);

    public static int open(String path, int flags, int mode) {
        return openat(AT_FDCWD, path, flags, mode);
    }

    public static int openat(int dirfd, String path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Native.callState();
            while (true) {
                int rc = (int) OPENAT.h().invokeExact(st, dirfd, a.allocateFrom(path), flags, mode);
                if (rc == -1 && Native.errno(st) == Errno.EINTR) continue;
                return Native.check(rc, st, "open", path);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * openat2(2): resolves {@code path} under {@code dirfd} with {@code resolve} rules
     * (RESOLVE_IN_ROOT treats dirfd as the root, so no "..", absolute path or symlink escapes it).
     */
    public static int openat2(int dirfd, String path, long flags, long mode, long resolve) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment how = a.allocate(24);
            how.set(C_LONG, 0, flags);
            how.set(C_LONG, 8, mode);
            how.set(C_LONG, 16, resolve);
            return (int) Syscall.call("openat2", path, Syscall.SYS_OPENAT2,
                    dirfd, a.allocateFrom(path).address(), how.address(), 24, 0, 0);
        }
    }

    public static void close(int fd) {
        try {
            MemorySegment st = Native.callState();
            int rc = (int) CLOSE.h().invokeExact(st, fd);
            if (rc == -1 && Native.errno(st) != Errno.EINTR) Native.check(rc, st, "close", "fd " + fd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void closeQuietly(int fd) {
        if (fd < 0) return;
        try {
            close(fd);
        } catch (LinuxException ignored) {
            // closing on a cleanup path: nothing better to do
        }
    }

    /** read(2) into a fresh array; returns an empty array at end of file. */
    public static byte[] read(int fd, int max) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(max);
            MemorySegment st = Native.callState();
            while (true) {
                long n = (long) READ.h().invokeExact(st, fd, buf, (long) max);
                if (n == -1 && Native.errno(st) == Errno.EINTR) continue;
                Native.check(n, st, "read", "fd " + fd);
                return buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** write(2) of all of {@code data}. */
    public static void writeAll(int fd, byte[] data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, data.length));
            buf.copyFrom(MemorySegment.ofArray(data));
            MemorySegment st = Native.callState();
            long off = 0;
            while (off < data.length) {
                long n = (long) WRITE.h().invokeExact(st, fd, buf.asSlice(off), (long) data.length - off);
                if (n == -1 && Native.errno(st) == Errno.EINTR) continue;
                Native.check(n, st, "write", "fd " + fd);
                off += n;
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void writeAll(int fd, String text) {
        writeAll(fd, text.getBytes(StandardCharsets.UTF_8));
    }

    public static int dup3(int oldfd, int newfd, int flags) {
        try {
            MemorySegment st = Native.callState();
            int rc = (int) DUP3.h().invokeExact(st, oldfd, newfd, flags);
            return Native.check(rc, st, "dup3", oldfd + " -> " + newfd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** pipe2(2): {read end, write end}. */
    public static int[] pipe(int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(C_INT, 2);
            MemorySegment st = Native.callState();
            int rc = (int) PIPE2.h().invokeExact(st, fds, flags);
            Native.check(rc, st, "pipe2", "");
            return new int[] {fds.getAtIndex(C_INT, 0), fds.getAtIndex(C_INT, 1)};
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC): two connected ends. */
    public static int[] socketPair() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(C_INT, 2);
            MemorySegment st = Native.callState();
            int rc = (int) SOCKETPAIR.h().invokeExact(st, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
            Native.check(rc, st, "socketpair", "AF_UNIX");
            return new int[] {fds.getAtIndex(C_INT, 0), fds.getAtIndex(C_INT, 1)};
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int socket(int domain, int type, int protocol) {
        try {
            MemorySegment st = Native.callState();
            int rc = (int) SOCKET.h().invokeExact(st, domain, type, protocol);
            return Native.check(rc, st, "socket", "domain " + domain);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int fcntl(int fd, int cmd, int arg) {
        try {
            MemorySegment st = Native.callState();
            int rc = (int) FCNTL.h().invokeExact(st, fd, cmd, arg);
            return Native.check(rc, st, "fcntl", "fd " + fd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ioctl(int fd, long request, MemorySegment arg, String what) {
        try {
            MemorySegment st = Native.callState();
            int rc = (int) IOCTL.h().invokeExact(st, fd, request, arg);
            return Native.check(rc, st, "ioctl", what);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** close_range(2) with CLOSE_RANGE_CLOEXEC: marks fds first..last close-on-exec. */
    public static void cloexecFrom(int first) {
        Syscall.call("close_range", "from " + first, Syscall.SYS_CLOSE_RANGE, first, 0xffffffffL,
                CLOSE_RANGE_CLOEXEC, 0, 0, 0);
    }
}
