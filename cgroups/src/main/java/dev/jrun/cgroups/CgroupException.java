package dev.jrun.cgroups;

/** A cgroup operation that failed; the message names the cgroup and the file. */
public final class CgroupException extends RuntimeException {
    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
