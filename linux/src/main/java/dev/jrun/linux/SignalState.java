package dev.jrun.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Signal dispositions and mask as execve passes them on. Handlers are reset by execve itself,
 * but an ignored signal stays ignored and the calling thread's mask stays: the JVM ignores and
 * blocks a few, and a container's process must start with none of that.
 */
public final class SignalState {
    private SignalState() {}

    private static final long SYS_RT_SIGACTION = 13, SYS_RT_SIGPROCMASK = 14;
    private static final long SIG_SETMASK = 2, SIG_IGN = 1;
    private static final int NSIG = 64, SIGSET_BYTES = 8;

    /**
     * Sets every ignored signal back to its default action and unblocks every signal on the
     * calling thread. Signals the JVM handles are left alone (the JVM relies on some of them,
     * SIGSEGV among others, until execve resets them).
     */
    public static void resetForExec() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment old = a.allocate(32); // struct kernel_sigaction: handler, flags, restorer, mask
            MemorySegment dfl = a.allocate(32); // all zero: SIG_DFL, no flags, empty mask
            for (int sig = 1; sig <= NSIG; sig++) {
                if (sig == 9 || sig == 19) continue; // SIGKILL and SIGSTOP cannot change
                try {
                    Syscall.call("rt_sigaction", "signal " + sig, SYS_RT_SIGACTION, sig, 0, old.address(), SIGSET_BYTES, 0, 0);
                } catch (LinuxException e) {
                    continue; // a number this kernel does not have
                }
                if (old.get(Native.C_LONG, 0) == SIG_IGN) {
                    Syscall.call("rt_sigaction", "signal " + sig, SYS_RT_SIGACTION, sig, dfl.address(), 0, SIGSET_BYTES, 0, 0);
                }
            }
            MemorySegment empty = a.allocate(SIGSET_BYTES);
            Syscall.call("rt_sigprocmask", "SIG_SETMASK empty", SYS_RT_SIGPROCMASK, SIG_SETMASK, empty.address(), 0,
                    SIGSET_BYTES, 0, 0);
        }
    }
}
