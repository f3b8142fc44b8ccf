package dev.jrun.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static dev.jrun.linux.Native.C_INT;
import static dev.jrun.linux.Native.C_LONG;

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

    // x86_64 syscall numbers (every call goes through the one Syscall downcall, see Libc).
    private static final long SYS_READ = 0, SYS_WRITE = 1, SYS_CLOSE = 3, SYS_IOCTL = 16, SYS_SOCKET = 41,
            SYS_SOCKETPAIR = 53, SYS_FCNTL = 72, SYS_OPENAT = 257, SYS_DUP3 = 292, SYS_PIPE2 = 293;

    public static int open(String path, int flags, int mode) {
        return openat(AT_FDCWD, path, flags, mode);
    }

    public static int openat(int dirfd, String path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            long p = a.allocateFrom(path).address();
            while (true) {
                try {
                    return (int) Syscall.call("open", path, SYS_OPENAT, dirfd, p, flags, mode, 0, 0);
                } catch (LinuxException e) {
                    if (e.errno() != Errno.EINTR) throw e;
                }
            }
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
            long p = a.allocateFrom(path).address();
            // With RESOLVE_IN_ROOT the kernel answers EAGAIN when a rename or mount anywhere on
            // the system races a ".." lookup: try again, a bounded number of times.
            for (int attempt = 0; ; attempt++) {
                try {
                    return (int) Syscall.call("openat2", path, Syscall.SYS_OPENAT2, dirfd, p, how.address(), 24, 0, 0);
                } catch (LinuxException e) {
                    if ((e.errno() != Errno.EAGAIN && e.errno() != Errno.EINTR) || attempt >= 128) throw e;
                }
            }
        }
    }

    public static void close(int fd) {
        try {
            Syscall.call("close", "fd " + fd, SYS_CLOSE, fd, 0, 0, 0, 0, 0);
        } catch (LinuxException e) {
            if (e.errno() != Errno.EINTR) throw e; // Linux closes the fd even on EINTR
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
            while (true) {
                try {
                    long n = Syscall.call("read", "fd " + fd, SYS_READ, fd, buf.address(), max, 0, 0, 0);
                    return buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                } catch (LinuxException e) {
                    if (e.errno() != Errno.EINTR) throw e;
                }
            }
        }
    }

    /** write(2) of all of {@code data}. */
    public static void writeAll(int fd, byte[] data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, data.length));
            buf.copyFrom(MemorySegment.ofArray(data));
            long off = 0;
            while (off < data.length) {
                try {
                    off += Syscall.call("write", "fd " + fd, SYS_WRITE, fd, buf.address() + off, data.length - off, 0, 0, 0);
                } catch (LinuxException e) {
                    if (e.errno() != Errno.EINTR) throw e;
                }
            }
        }
    }

    public static void writeAll(int fd, String text) {
        writeAll(fd, text.getBytes(StandardCharsets.UTF_8));
    }

    public static int dup3(int oldfd, int newfd, int flags) {
        return (int) Syscall.call("dup3", oldfd + " -> " + newfd, SYS_DUP3, oldfd, newfd, flags, 0, 0, 0);
    }

    /** pipe2(2): {read end, write end}. */
    public static int[] pipe(int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(C_INT, 2);
            Syscall.call("pipe2", "", SYS_PIPE2, fds.address(), flags, 0, 0, 0, 0);
            return new int[] {fds.getAtIndex(C_INT, 0), fds.getAtIndex(C_INT, 1)};
        }
    }

    /** socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC): two connected ends. */
    public static int[] socketPair() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(C_INT, 2);
            Syscall.call("socketpair", "AF_UNIX", SYS_SOCKETPAIR, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
                    fds.address(), 0, 0);
            return new int[] {fds.getAtIndex(C_INT, 0), fds.getAtIndex(C_INT, 1)};
        }
    }

    public static int socket(int domain, int type, int protocol) {
        return (int) Syscall.call("socket", "domain " + domain, SYS_SOCKET, domain, type, protocol, 0, 0, 0);
    }

    public static int fcntl(int fd, int cmd, int arg) {
        return (int) Syscall.call("fcntl", "fd " + fd, SYS_FCNTL, fd, cmd, arg, 0, 0, 0);
    }

    public static int ioctl(int fd, long request, MemorySegment arg, String what) {
        return (int) Syscall.call("ioctl", what, SYS_IOCTL, fd, request, arg.address(), 0, 0, 0);
    }

    /** close_range(2) with CLOSE_RANGE_CLOEXEC: marks fds first..last close-on-exec. */
    public static void cloexecFrom(int first) {
        Syscall.call("close_range", "from " + first, Syscall.SYS_CLOSE_RANGE, first, 0xffffffffL,
                CLOSE_RANGE_CLOEXEC, 0, 0, 0);
    }
}
