package dev.jrun.linux;

/**
 * flock(2) on a file of its own. Unlike java.nio's FileLock, flock locks belong to the open file
 * description, so two opens in one JVM (two pulls in a library user's process) take shared
 * locks side by side, and an exclusive one waits for both, as between processes.
 */
public final class Flock implements AutoCloseable {
    private static final long SYS_FLOCK = 73;
    private static final int LOCK_SH = 1, LOCK_EX = 2;

    private final int fd;

    private Flock(int fd) {
        this.fd = fd;
    }

    /** Opens (creating) {@code path} and waits for a shared lock on it. */
    public static Flock shared(String path) {
        return lock(path, LOCK_SH);
    }

    /** Opens (creating) {@code path} and waits for an exclusive lock on it. */
    public static Flock exclusive(String path) {
        return lock(path, LOCK_EX);
    }

    private static Flock lock(String path, int op) {
        int fd = Fds.open(path, Fds.O_RDWR | Fds.O_CREAT | Fds.O_CLOEXEC, 0600);
        try {
            while (true) {
                try {
                    Syscall.call("flock", path, SYS_FLOCK, fd, op, 0, 0, 0, 0);
                    return new Flock(fd);
                } catch (LinuxException e) {
                    if (e.errno() != Errno.EINTR) throw e;
                }
            }
        } catch (RuntimeException e) {
            Fds.closeQuietly(fd);
            throw e;
        }
    }

    /** Releases the lock (closing the descriptor drops it). */
    @Override
    public void close() {
        Fds.closeQuietly(fd);
    }
}
