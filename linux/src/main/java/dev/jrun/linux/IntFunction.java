package dev.jrun.linux;

import java.lang.foreign.MemorySegment;

/**
 * A libc function whose parameters are all integers or pointers, called through the same
 * downcall shape as syscall(2) ({@link Syscall#SHAPE}). The JVM spins a stub class per distinct
 * shape, which costs milliseconds at every start; with one shape it spins one. On x86_64 this is
 * sound: integer and pointer arguments travel in the same registers whatever their C width, an
 * int result is the low half of rax (callers cast), and the vector-count register a variadic call
 * sets is ignored by a non-variadic callee. Syscall refuses other architectures.
 */
final class IntFunction {
    private final String name;
    private final Downcall downcall;

    IntFunction(String name) {
        this.name = name;
        this.downcall = Downcall.errnoVariadic(name, Syscall.SHAPE, 1);
    }

    /** Calls with up to seven arguments (unused ones 0); returns the raw result. */
    long call(long a, long b, long c, long d, long e, long f, long g) {
        MemorySegment st = Native.callState();
        try {
            return (long) downcall.h().invokeExact(st, a, b, c, d, e, f, g);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** For the posix_spawn family: a non-zero int result is the error number. */
    void callChecked(long a, long b, long c) {
        int rc = (int) call(a, b, c, 0, 0, 0, 0);
        if (rc != 0) throw new LinuxException(name, rc, "");
    }
}
