package dev.jrun.linux;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers shared by the linux tests: read a pipe to its end, reap a child. */
final class TestIo {
    private TestIo() {}

    /** Reads {@code fd} until end of file. */
    static String readAll(int fd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            byte[] b = Fds.read(fd, 4096);
            if (b.length == 0) return out.toString(StandardCharsets.UTF_8);
            out.writeBytes(b);
        }
    }

    /** Waits for {@code pid} and returns its shell-style exit code. */
    static int waitExit(int pid) {
        int[] r = Libc.waitpid(pid, 0);
        if (r[0] != pid) throw new AssertionError("waitpid returned pid " + r[0] + ", expected " + pid);
        return Libc.exitCodeOf(r[1]);
    }

    static int devNull() {
        return Fds.open("/dev/null", Fds.O_RDWR | Fds.O_CLOEXEC, 0);
    }
}
