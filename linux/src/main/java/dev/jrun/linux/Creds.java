package dev.jrun.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static dev.jrun.linux.Native.C_INT;

/**
 * Credentials and capabilities of the calling thread, through raw syscalls so that only this
 * thread changes (glibc would broadcast the change to every JVM thread).
 */
public final class Creds {
    private Creds() {}

    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    public static void setgroups(List<Long> gids) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment list = a.allocate(C_INT, Math.max(1, gids.size()));
            for (int i = 0; i < gids.size(); i++) list.setAtIndex(C_INT, i, gids.get(i).intValue());
            Syscall.call("setgroups", gids.toString(), Syscall.SYS_SETGROUPS, gids.size(), list.address(), 0, 0, 0, 0);
        }
    }

    public static void setresgid(long gid) {
        Syscall.call("setresgid", "gid " + gid, Syscall.SYS_SETRESGID, gid, gid, gid, 0, 0, 0);
    }

    public static void setresuid(long uid) {
        Syscall.call("setresuid", "uid " + uid, Syscall.SYS_SETRESUID, uid, uid, uid, 0, 0, 0);
    }

    /** The three 64-bit capability sets of a thread. */
    public record CapSets(long effective, long permitted, long inheritable) {}

    public static CapSets capget(int tid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment hdr = a.allocate(8);
            hdr.set(C_INT, 0, LINUX_CAPABILITY_VERSION_3);
            hdr.set(C_INT, 4, tid);
            MemorySegment data = a.allocate(24);
            Syscall.call("capget", "tid " + tid, Syscall.SYS_CAPGET, hdr.address(), data.address(), 0, 0, 0, 0);
            return new CapSets(join(data, 0), join(data, 4), join(data, 8));
        }
    }

    /** capset(2) on the calling thread. */
    public static void capset(CapSets sets) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment hdr = a.allocate(8);
            hdr.set(C_INT, 0, LINUX_CAPABILITY_VERSION_3);
            hdr.set(C_INT, 4, 0);
            MemorySegment data = a.allocate(24);
            split(data, 0, sets.effective());
            split(data, 4, sets.permitted());
            split(data, 8, sets.inheritable());
            Syscall.call("capset", String.format("eff %x prm %x inh %x", sets.effective(), sets.permitted(),
                    sets.inheritable()), Syscall.SYS_CAPSET, hdr.address(), data.address(), 0, 0, 0, 0);
        }
    }

    // struct __user_cap_data_struct[2]: low 32 bits in [0], high in [1]; each holds eff, prm, inh.
    private static long join(MemorySegment data, int off) {
        return Integer.toUnsignedLong(data.get(C_INT, off)) | ((long) data.get(C_INT, 12 + off) << 32);
    }

    private static void split(MemorySegment data, int off, long v) {
        data.set(C_INT, off, (int) v);
        data.set(C_INT, 12 + off, (int) (v >>> 32));
    }

    /**
     * The highest capability number this kernel knows (/proc/sys/kernel/cap_last_cap). Read in one
     * read(2): sysctl files return nothing at a non-zero offset, so a reader that starts with a
     * small buffer (as Files.readString does for size-0 files) sees only "4" of "40".
     */
    public static int lastCap() {
        Integer v = lastCap;
        if (v == null) {
            int fd = Fds.open("/proc/sys/kernel/cap_last_cap", Fds.O_RDONLY | Fds.O_CLOEXEC, 0);
            try {
                v = Integer.parseInt(new String(Fds.read(fd, 64), java.nio.charset.StandardCharsets.US_ASCII).trim());
            } finally {
                Fds.closeQuietly(fd);
            }
            lastCap = v;
        }
        return v;
    }

    /**
     * Read once and kept: the container init must read it from the host's /proc before
     * pivot_root, never from a file the image could provide afterwards.
     */
    private static volatile Integer lastCap;

    public static int gettid() {
        return (int) Syscall.call("gettid", "", Syscall.SYS_GETTID, 0, 0, 0, 0, 0, 0);
    }
}
