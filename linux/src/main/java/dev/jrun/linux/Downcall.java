package dev.jrun.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * A libc function bound on first use. Linking a downcall costs about a millisecond even with
 * the AOT cache, and the container init, which starts a JVM per container, uses only some of
 * the functions jrun knows; binding lazily keeps that cost to what a process really calls.
 */
final class Downcall {
    private final String name;
    private final FunctionDescriptor descriptor;
    private final int firstVariadic;
    private volatile MethodHandle handle;

    private Downcall(String name, FunctionDescriptor descriptor, int firstVariadic) {
        this.name = name;
        this.descriptor = descriptor;
        this.firstVariadic = firstVariadic;
    }

    /** A call that reports failure as -1 and errno; the handle takes the errno capture segment first. */
    static Downcall errno(String name, FunctionDescriptor fd) {
        return new Downcall(name, fd, -1);
    }

    /** As {@link #errno}, for a variadic C function whose fixed parameters end before {@code firstVariadic}. */
    static Downcall errnoVariadic(String name, FunctionDescriptor fd, int firstVariadic) {
        return new Downcall(name, fd, firstVariadic);
    }

    MethodHandle h() {
        MethodHandle h = handle;
        if (h == null) {
            if (firstVariadic >= 0) h = Native.errnoVariadic(name, descriptor, firstVariadic);
            else h = Native.errnoFunction(name, descriptor);
            handle = h;
        }
        return h;
    }
}
