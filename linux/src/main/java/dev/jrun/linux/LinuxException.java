package dev.jrun.linux;

/**
 * A failed system call: names the call, the errno (as EPERM, ENOENT, ...) and what it acted on.
 */
public final class LinuxException extends RuntimeException {
    private final String call;
    private final int errno;

    public LinuxException(String call, int errno, String detail) {
        super(call + (detail == null || detail.isEmpty() ? "" : "(" + detail + ")") + ": "
                + Errno.name(errno) + " (" + Errno.describe(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    public String call() { return call; }

    public int errno() { return errno; }

    public boolean is(int expected) { return errno == expected; }
}
