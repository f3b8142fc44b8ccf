package dev.jrun.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.jrun.linux.Native.C_INT;
import static dev.jrun.linux.Native.C_POINTER;

/**
 * posix_spawn(3) through FFM: the only way jrun starts a process. glibc spawns with
 * clone(CLONE_VM|CLONE_VFORK) and runs no Java code in the child (DESIGN.md 1); the child
 * inherits the calling thread's namespaces, which is how the launcher thread places the init.
 */
public final class Spawn {
    private Spawn() {}

    private static final int POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;
    private static final int F_DUPFD_CLOEXEC = 1030;
    // glibc: posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128; leave slack.
    private static final long FILE_ACTIONS_SIZE = 256, ATTR_SIZE = 512, SIGSET_SIZE = 128;

    private static final Downcall SPAWN = Downcall.plain("posix_spawn", FunctionDescriptor.of(C_INT,
            C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER));
    private static final Downcall FA_INIT = Downcall.plain("posix_spawn_file_actions_init",
            FunctionDescriptor.of(C_INT, C_POINTER));
    private static final Downcall FA_DESTROY = Downcall.plain("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(C_INT, C_POINTER));
    private static final Downcall FA_DUP2 = Downcall.plain("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT));
    private static final Downcall FA_CLOSEFROM = Downcall.plain("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    private static final Downcall FA_CHDIR = Downcall.plain("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    private static final Downcall ATTR_INIT = Downcall.plain("posix_spawnattr_init",
            FunctionDescriptor.of(C_INT, C_POINTER));
    private static final Downcall ATTR_FLAGS = Downcall.plain("posix_spawnattr_setflags",
            FunctionDescriptor.of(C_INT, C_POINTER, ValueLayoutShort.SHORT));
    private static final Downcall ATTR_SIGMASK = Downcall.plain("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    private static final Downcall ATTR_SIGDEFAULT = Downcall.plain("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));

    private static final class ValueLayoutShort {
        static final java.lang.foreign.ValueLayout.OfShort SHORT = java.lang.foreign.ValueLayout.JAVA_SHORT;
    }

    /**
     * What to start.
     *
     * @param path     absolute path of the executable
     * @param argv     argv, argv[0] included
     * @param env      the whole environment
     * @param fds      child fd -> parent fd to install there (0, 1, 2 and any others)
     * @param keepFds  child fds below this number that are inherited as they are (--preserve-fds);
     *                 every fd at or above max(keepFds, highest target + 1) is closed in the child
     * @param cwd      working directory for the child, or null to inherit
     * @param setsid   start a new session
     */
    public record Request(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds,
                          int keepFds, String cwd, boolean setsid) {}

    /** Spawns and returns the child's pid. */
    public static int spawn(Request r) {
        List<Integer> temps = new ArrayList<>();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fa = a.allocate(FILE_ACTIONS_SIZE);
            MemorySegment attr = a.allocate(ATTR_SIZE);
            check((int) FA_INIT.h().invokeExact(fa), "posix_spawn_file_actions_init");
            check((int) ATTR_INIT.h().invokeExact(attr), "posix_spawnattr_init");
            try {
                TreeMap<Integer, Integer> map = new TreeMap<>(r.fds());
                int firstFree = Math.max(r.keepFds(), map.isEmpty() ? 0 : map.lastKey() + 1);
                firstFree = Math.max(firstFree, 3);
                // Duplicate every source above all targets first so that no dup2 overwrites a
                // source that a later dup2 still needs; the child closes the copies (closefrom).
                for (Map.Entry<Integer, Integer> e : map.entrySet()) {
                    int tmp = Fds.fcntl(e.getValue(), F_DUPFD_CLOEXEC, Math.max(firstFree, 64));
                    temps.add(tmp);
                    check((int) FA_DUP2.h().invokeExact(fa, tmp, (int) e.getKey()), "posix_spawn_file_actions_adddup2");
                }
                check((int) FA_CLOSEFROM.h().invokeExact(fa, firstFree), "posix_spawn_file_actions_addclosefrom_np");
                if (r.cwd() != null) {
                    check((int) FA_CHDIR.h().invokeExact(fa, a.allocateFrom(r.cwd())), "posix_spawn_file_actions_addchdir_np");
                }
                // sigset_t by hand (two downcalls fewer to link): empty, and glibc's sigfillset,
                // which is every bit but the two signals glibc keeps for itself (32 and 33).
                MemorySegment empty = a.allocate(SIGSET_SIZE);
                MemorySegment all = a.allocate(SIGSET_SIZE);
                all.fill((byte) 0xff);
                all.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, ~((1L << 31) | (1L << 32)));
                check((int) ATTR_SIGMASK.h().invokeExact(attr, empty), "posix_spawnattr_setsigmask");
                check((int) ATTR_SIGDEFAULT.h().invokeExact(attr, all), "posix_spawnattr_setsigdefault");
                short flags = (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (r.setsid() ? POSIX_SPAWN_SETSID : 0));
                check((int) ATTR_FLAGS.h().invokeExact(attr, flags), "posix_spawnattr_setflags");

                List<String> argv = r.argv();
                MemorySegment pid = a.allocate(C_INT);
                int rc = (int) SPAWN.h().invokeExact(pid, a.allocateFrom(r.path()), fa, attr,
                        Libc.stringArray(a, argv), Libc.stringArray(a, r.env()));
                if (rc != 0) throw new LinuxException("posix_spawn", rc, r.path());
                return pid.get(C_INT, 0);
            } finally {
                // posix_spawnattr_destroy is a no-op in glibc; the file actions own heap memory.
                int ignored = (int) FA_DESTROY.h().invokeExact(fa);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            temps.forEach(Fds::closeQuietly);
        }
    }

    private static void check(int rc, String call) {
        if (rc != 0) throw new LinuxException(call, rc, "");
    }
}
