package dev.jrun.runtime;

import dev.jrun.linux.Errno;
import dev.jrun.linux.Fds;
import dev.jrun.linux.LinuxException;
import dev.jrun.runtime.state.ProcessProbe;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * `jrun start`'s side of the exec FIFO. The init holds the write end open from a thread that
 * blocked in open(2) until we open the read end; it writes "1" once through, then either execs
 * (close-on-exec ends the FIFO: EOF, success) or writes an error and exits. Opening the read end
 * non-blocking means a dead init can never hang `start`.
 */
final class ExecFifo {
    private ExecFifo() {}

    static void release(String path, int pid, long startTime) {
        int fd;
        try {
            fd = Fds.open(path, Fds.O_RDONLY | Fds.O_NONBLOCK | Fds.O_CLOEXEC, 0);
        } catch (LinuxException e) {
            throw new JrunException("cannot open exec fifo " + path + ": " + e.getMessage(), e);
        }
        try {
            boolean acked = false;
            StringBuilder error = new StringBuilder();
            long pause = 50_000;
            while (true) {
                byte[] b;
                try {
                    b = Fds.read(fd, 4096);
                } catch (LinuxException e) {
                    if (e.errno() != Errno.EAGAIN) throw e;
                    b = null; // the init holds the FIFO but has nothing to say yet
                }
                if (b != null && b.length > 0) {
                    String s = new String(b, StandardCharsets.UTF_8);
                    if (!acked) {
                        acked = true;
                        s = s.substring(1);
                    }
                    error.append(s);
                    continue;
                }
                if (b != null && acked) break; // EOF after the ack: execve closed the FIFO, or the init died
                if (!ProcessProbe.alive(pid, startTime)) {
                    if (acked) break;
                    throw new JrunException("the container init (pid " + pid + ") exited before start");
                }
                if (!acked && b != null && !ProcessProbe.isJrunInit(pid)) {
                    // EOF, no ack, and the pid runs the container's program: an earlier start got
                    // the init through the FIFO and was killed before it recorded "running".
                    break;
                }
                LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, 5_000_000);
            }
            if (!error.isEmpty()) throw new JrunException(error.toString().trim());
        } finally {
            Fds.closeQuietly(fd);
        }
    }
}
