package dev.jrun.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Brings the loopback interface of the calling thread's network namespace up, as runc does. */
public final class Loopback {
    private Loopback() {}

    private static final long SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
    private static final short IFF_UP = 0x1;

    public static void up() {
        int sock = Fds.socket(Fds.AF_INET, Fds.SOCK_DGRAM | Fds.SOCK_CLOEXEC, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = a.allocate(40); // struct ifreq: char name[16]; union { short flags; ... }
            ifr.setString(0, "lo");
            Fds.ioctl(sock, SIOCGIFFLAGS, ifr, "SIOCGIFFLAGS lo");
            short flags = ifr.get(ValueLayout.JAVA_SHORT, 16);
            ifr.set(ValueLayout.JAVA_SHORT, 16, (short) (flags | IFF_UP));
            Fds.ioctl(sock, SIOCSIFFLAGS, ifr, "SIOCSIFFLAGS lo up");
        } finally {
            Fds.closeQuietly(sock);
        }
    }
}
