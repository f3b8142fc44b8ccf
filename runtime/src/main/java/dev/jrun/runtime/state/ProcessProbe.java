package dev.jrun.runtime.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads /proc/PID/stat to tell whether a recorded pid is still the same, live process. */
public final class ProcessProbe {
    private ProcessProbe() {}

    /** Field 22 of /proc/PID/stat (start time in clock ticks since boot), or -1 if the pid is gone. */
    public static long startTime(int pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[19]);
    }

    /** True when pid exists, is not a zombie, and (if startTime >= 0) started at startTime. */
    public static boolean alive(int pid, long startTime) {
        if (pid <= 0) return false;
        String[] f = statFields(pid);
        if (f == null) return false;
        String state = f[0];
        if (state.equals("Z") || state.equals("X") || state.equals("x")) return false;
        return startTime < 0 || Long.parseLong(f[19]) == startTime;
    }

    /**
     * Whether pid still runs jrun's container init (not yet the container's program). A `start`
     * killed after the init passed the FIFO leaves the phase at "created" although the program
     * runs: this tells the two apart.
     */
    public static boolean isJrunInit(int pid) {
        try {
            byte[] cmd = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            return new String(cmd, java.nio.charset.StandardCharsets.UTF_8).contains(INIT_CLASS);
        } catch (IOException e) {
            return false;
        }
    }

    private static final String INIT_CLASS = "dev.jrun.runtime.init.InitMain";

    // The fields after "(comm)": index 0 is field 3 (state). comm may hold spaces and parens.
    private static String[] statFields(int pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException e) {
            return null;
        }
    }
}
