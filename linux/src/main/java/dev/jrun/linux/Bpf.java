package dev.jrun.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** bpf(2): loading a cgroup device program and attaching it to a cgroup. */
public final class Bpf {
    private Bpf() {}

    private static final long SYS_BPF = 321;
    private static final int BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15, BPF_CGROUP_DEVICE = 6, BPF_F_ALLOW_MULTI = 2;
    private static final int LOG_SIZE = 64 * 1024;

    /**
     * Loads {@code insns} (8 bytes an instruction) as a BPF_PROG_TYPE_CGROUP_DEVICE program.
     * A program the verifier refuses is an error carrying the verifier's log.
     *
     * @return the program's fd (close-on-exec)
     */
    public static int loadCgroupDeviceProgram(byte[] insns) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment code = a.allocate(insns.length, 8);
            code.copyFrom(MemorySegment.ofArray(insns));
            MemorySegment license = a.allocateFrom("Apache");
            MemorySegment log = a.allocate(LOG_SIZE);
            MemorySegment attr = a.allocate(128, 8); // union bpf_attr, PROG_LOAD part; the rest zero
            attr.set(ValueLayout.JAVA_INT, 0, BPF_PROG_TYPE_CGROUP_DEVICE);
            attr.set(ValueLayout.JAVA_INT, 4, insns.length / 8);
            attr.set(ValueLayout.JAVA_LONG, 8, code.address());
            attr.set(ValueLayout.JAVA_LONG, 16, license.address());
            attr.set(ValueLayout.JAVA_INT, 24, 1);        // log_level
            attr.set(ValueLayout.JAVA_INT, 28, LOG_SIZE); // log_size
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());
            attr.setString(48, "jrun_devices");           // prog_name (16 bytes)
            attr.set(ValueLayout.JAVA_INT, 68, BPF_CGROUP_DEVICE); // expected_attach_type
            try {
                return (int) Syscall.call("bpf", "BPF_PROG_LOAD cgroup device program", SYS_BPF, BPF_PROG_LOAD,
                        attr.address(), 128, 0, 0, 0);
            } catch (LinuxException e) {
                String verifier = log.getString(0, StandardCharsets.UTF_8).trim();
                if (verifier.isEmpty()) throw e;
                throw new LinuxException("bpf", e.errno(), "BPF_PROG_LOAD, verifier says: "
                        + verifier.substring(Math.max(0, verifier.length() - 600)));
            }
        }
    }

    /** Attaches a device program to the cgroup whose directory {@code cgroupFd} is open on. */
    public static void attachCgroupDevice(int cgroupFd, int progFd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(32, 8);
            attr.set(ValueLayout.JAVA_INT, 0, cgroupFd);
            attr.set(ValueLayout.JAVA_INT, 4, progFd);
            attr.set(ValueLayout.JAVA_INT, 8, BPF_CGROUP_DEVICE);
            attr.set(ValueLayout.JAVA_INT, 12, BPF_F_ALLOW_MULTI);
            Syscall.call("bpf", "BPF_PROG_ATTACH cgroup device program", SYS_BPF, BPF_PROG_ATTACH, attr.address(), 32, 0, 0, 0);
        }
    }
}
