package dev.jrun.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

import static dev.jrun.linux.Native.C_INT;
import static dev.jrun.linux.Native.C_LONG;

/**
 * Raw syscall(2) for the calls that must act on the calling thread only, or that glibc does not
 * wrap: glibc's setuid/setgid/setgroups signal every thread to change credentials together, and
 * the init must change only the thread that will call execve (DESIGN.md 1).
 */
public final class Syscall {
    private Syscall() {}

    // x86_64 numbers.
    public static final long SYS_SETGROUPS = 116, SYS_SETRESUID = 117, SYS_SETRESGID = 119,
            SYS_CAPGET = 125, SYS_CAPSET = 126, SYS_PIVOT_ROOT = 155, SYS_GETTID = 186,
            SYS_SETNS = 308, SYS_OPENAT2 = 437, SYS_CLOSE_RANGE = 436, SYS_PIDFD_OPEN = 434,
            SYS_PIDFD_SEND_SIGNAL = 424;

    /**
     * long f(long x 7), errno captured, variadic after the first: the one downcall shape jrun
     * links. {@link IntFunction} reuses it for libc functions, so the JVM generates one stub.
     */
    static final FunctionDescriptor SHAPE =
            FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG);

    private static final Downcall SYSCALL = Downcall.errnoVariadic("syscall", SHAPE, 1);
    static {
        if (!"amd64".equals(System.getProperty("os.arch")) && !"x86_64".equals(System.getProperty("os.arch"))) {
            // The numbers above are x86_64's; refuse rather than call the wrong syscall.
            throw new ExceptionInInitializerError("jrun's raw syscall table supports x86_64 only, not "
                    + System.getProperty("os.arch"));
        }
        assert C_INT != null;
    }

    /** syscall(nr, a..f); pointers are passed as {@code segment.address()}. Returns the result or throws. */
    public static long call(String name, String detail, long nr, long a, long b, long c, long d, long e, long f) {
        MemorySegment st = Native.callState();
        try {
            long rc = (long) SYSCALL.h().invokeExact(st, nr, a, b, c, d, e, f);
            return Native.check(rc, st, name, detail);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

}
