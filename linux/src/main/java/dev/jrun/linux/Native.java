package dev.jrun.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one bridge to libc. Every downcall that can fail is bound with errno capture, so the
 * errno read after the call is the one the call set (the JVM may touch errno in between).
 */
public final class Native {
    private Native() {}

    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    public static final java.lang.foreign.AddressLayout C_POINTER = ValueLayout.ADDRESS;

    /** A downcall whose first parameter is the errno capture segment. */
    static MethodHandle errnoFunction(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd, CAPTURE);
    }

    /** A variadic downcall with errno capture (syscall(2), open(2), fcntl(2), ioctl(2), prctl(2)). */
    static MethodHandle errnoVariadic(String name, FunctionDescriptor fd, int firstVariadic) {
        return LINKER.downcallHandle(symbol(name), fd, CAPTURE, Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    /** Per-thread errno capture buffer: the calls are made from many threads. */
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.global().allocate(CALL_STATE));

    static MemorySegment callState() {
        return STATE.get();
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** Throws a {@link LinuxException} for a failed call returning -1. */
    static int check(int rc, MemorySegment state, String call, String detail) {
        if (rc == -1) {
            throw new LinuxException(call, errno(state), detail);
        }
        return rc;
    }

    static long check(long rc, MemorySegment state, String call, String detail) {
        if (rc == -1) {
            throw new LinuxException(call, errno(state), detail);
        }
        return rc;
    }

    /** Rethrows anything a downcall can throw as unchecked (downcalls only throw Errors). */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    static MemorySegment cString(Arena arena, String s) {
        return s == null ? MemorySegment.NULL : arena.allocateFrom(s);
    }
}
