package dev.jrun.runtime;

import dev.jrun.linux.Libc;
import dev.jrun.linux.LinuxException;
import dev.jrun.runtime.state.ProcessProbe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * ROOT/ID/hook.pid: the hook jrun is running during create ("pid starttime"). If jrun is killed
 * meanwhile, `delete --force` finds it there and kills the hook's process group, so a killed
 * create leaves no process behind.
 */
final class RunningHook {
    private final Path file;

    RunningHook(Path containerDir) {
        this.file = containerDir.resolve("hook.pid");
    }

    void record(int pid) {
        try {
            Files.writeString(file, pid + " " + ProcessProbe.startTime(pid));
        } catch (IOException e) {
            throw new JrunException("cannot record the running hook in " + file + ": " + e.getMessage(), e);
        }
    }

    void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the folder goes with delete anyway
        }
    }

    void killIfAlive() {
        if (!Files.exists(file)) return;
        try {
            String[] f = Files.readString(file).trim().split(" ");
            int pid = Integer.parseInt(f[0]);
            if (ProcessProbe.alive(pid, Long.parseLong(f[1]))) {
                try {
                    Libc.kill(-pid, 9); // hooks run in a process group of their own
                } catch (LinuxException e) {
                    Libc.kill(pid, 9);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // unreadable or already gone: nothing left to end
        }
        clear();
    }
}
