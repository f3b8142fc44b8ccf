package dev.jrun.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.jrun.linux.Native.C_INT;

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

    private static final IntFunction SPAWN = new IntFunction("posix_spawn");
    private static final IntFunction FA_INIT = new IntFunction("posix_spawn_file_actions_init");
    private static final IntFunction FA_DESTROY = new IntFunction("posix_spawn_file_actions_destroy");
    private static final IntFunction FA_DUP2 = new IntFunction("posix_spawn_file_actions_adddup2");
    private static final IntFunction FA_CLOSEFROM = new IntFunction("posix_spawn_file_actions_addclosefrom_np");
    private static final IntFunction FA_CHDIR = new IntFunction("posix_spawn_file_actions_addchdir_np");
    private static final IntFunction ATTR_INIT = new IntFunction("posix_spawnattr_init");
    private static final IntFunction ATTR_FLAGS = new IntFunction("posix_spawnattr_setflags");
    private static final IntFunction ATTR_SIGMASK = new IntFunction("posix_spawnattr_setsigmask");
    private static final IntFunction ATTR_SIGDEFAULT = new IntFunction("posix_spawnattr_setsigdefault");

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
            FA_INIT.callChecked(fa.address(), 0, 0);
            ATTR_INIT.callChecked(attr.address(), 0, 0);
            try {
                TreeMap<Integer, Integer> map = new TreeMap<>(r.fds());
                int firstFree = Math.max(r.keepFds(), map.isEmpty() ? 0 : map.lastKey() + 1);
                firstFree = Math.max(firstFree, 3);
                // Duplicate every source above all targets first so that no dup2 overwrites a
                // source that a later dup2 still needs; the child closes the copies (closefrom).
                for (Map.Entry<Integer, Integer> e : map.entrySet()) {
                    int tmp = Fds.fcntl(e.getValue(), F_DUPFD_CLOEXEC, Math.max(firstFree, 64));
                    temps.add(tmp);
                    FA_DUP2.callChecked(fa.address(), tmp, e.getKey());
                }
                FA_CLOSEFROM.callChecked(fa.address(), firstFree, 0);
                if (r.cwd() != null) {
                    FA_CHDIR.callChecked(fa.address(), a.allocateFrom(r.cwd()).address(), 0);
                }
                // sigset_t by hand (two downcalls fewer to link): empty, and glibc's sigfillset,
                // which is every bit but the two signals glibc keeps for itself (32 and 33).
                MemorySegment empty = a.allocate(SIGSET_SIZE);
                MemorySegment all = a.allocate(SIGSET_SIZE);
                all.fill((byte) 0xff);
                all.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, ~((1L << 31) | (1L << 32)));
                ATTR_SIGMASK.callChecked(attr.address(), empty.address(), 0);
                ATTR_SIGDEFAULT.callChecked(attr.address(), all.address(), 0);
                short flags = (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (r.setsid() ? POSIX_SPAWN_SETSID : 0));
                ATTR_FLAGS.callChecked(attr.address(), flags, 0);

                List<String> argv = r.argv();
                MemorySegment pid = a.allocate(C_INT);
                int rc = (int) SPAWN.call(pid.address(), a.allocateFrom(r.path()).address(), fa.address(), attr.address(),
                        Libc.stringArray(a, argv).address(), Libc.stringArray(a, r.env()).address(), 0);
                if (rc != 0) throw new LinuxException("posix_spawn", rc, r.path());
                return pid.get(C_INT, 0);
            } finally {
                // posix_spawnattr_destroy is a no-op in glibc; the file actions own heap memory.
                FA_DESTROY.call(fa.address(), 0, 0, 0, 0, 0, 0);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            temps.forEach(Fds::closeQuietly);
        }
    }
}
