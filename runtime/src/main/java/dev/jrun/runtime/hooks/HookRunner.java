package dev.jrun.runtime.hooks;

import dev.jrun.linux.Fds;
import dev.jrun.linux.Libc;
import dev.jrun.linux.LinuxException;
import dev.jrun.linux.Spawn;
import dev.jrun.runtime.JrunException;
import dev.jrun.runtime.spec.Hook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Runs OCI hooks: the container state JSON on stdin, the hook's own args and env, its timeout.
 * Uses posix_spawn rather than ProcessBuilder so the same code works in the init after
 * pivot_root, where the JDK's spawn helper is out of reach.
 */
public final class HookRunner {
    private HookRunner() {}

    /**
     * Runs each hook in order; the first that fails (non-zero exit, signal, timeout, cannot start)
     * throws an error naming the hook kind, its index and path.
     */
    public static void runAll(String kind, List<Hook> hooks, String stateJson) {
        runAll(kind, hooks, stateJson, pid -> { });
    }

    /** As {@link #runAll(String, List, String)}; {@code onSpawn} hears each hook's pid as it starts. */
    public static void runAll(String kind, List<Hook> hooks, String stateJson, IntConsumer onSpawn) {
        if (hooks == null) return;
        for (int i = 0; i < hooks.size(); i++) {
            run(kind, i, hooks.get(i), stateJson, onSpawn);
        }
    }

    public static void run(String kind, int index, Hook hook, String stateJson) {
        run(kind, index, hook, stateJson, pid -> { });
    }

    /**
     * Runs one hook in a session (and process group) of its own, so that whoever must clean up
     * after a killed jrun can end the hook and everything it started with one kill(-pid).
     */
    public static void run(String kind, int index, Hook hook, String stateJson, IntConsumer onSpawn) {
        String where = kind + " hook #" + index + " (" + hook.path() + ")";
        List<String> argv = hook.args() == null || hook.args().isEmpty() ? List.of(hook.path()) : hook.args();
        List<String> env = hook.env() == null ? List.of() : hook.env();
        int[] stdin = Fds.pipe(Fds.O_CLOEXEC);
        int pid;
        try {
            pid = Spawn.spawn(new Spawn.Request(hook.path(), argv, env, Map.of(0, stdin[0], 1, 1, 2, 2), 0,
                    null, true));
        } catch (LinuxException e) {
            Fds.closeQuietly(stdin[0]);
            Fds.closeQuietly(stdin[1]);
            throw new JrunException("error running " + where + ": " + e.getMessage(), e);
        }
        Fds.closeQuietly(stdin[0]);
        onSpawn.accept(pid);
        try {
            Fds.writeAll(stdin[1], stateJson);
        } catch (LinuxException e) {
            // EPIPE: the hook does not read its stdin; that is its right
        } finally {
            Fds.closeQuietly(stdin[1]);
        }
        Integer timeout = hook.timeout();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout * 1_000_000_000L;
        int[] st;
        long sleepMicros = 200;
        while ((st = Libc.waitpid(pid, Libc.WNOHANG)) == null) {
            if (System.nanoTime() > deadline) {
                try {
                    Libc.kill(-pid, 9); // the hook's whole process group
                } catch (LinuxException ignored) {
                    // exited just now
                }
                Libc.waitpid(pid, 0);
                throw new JrunException(where + " did not finish within its timeout of " + timeout + "s and was killed");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(sleepMicros * 1000);
            sleepMicros = Math.min(sleepMicros * 2, 20_000);
        }
        int code = Libc.exitCodeOf(st[1]);
        if (code != 0) {
            String how = (st[1] & 0x7f) != 0 ? "was killed by signal " + (st[1] & 0x7f) : "exited with status " + code;
            throw new JrunException(where + " " + how);
        }
    }

    /** The hook list of one kind, never null. */
    public static List<Hook> orEmpty(List<Hook> hooks) {
        return hooks == null ? new ArrayList<>() : hooks;
    }
}
