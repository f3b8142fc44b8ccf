package dev.jrun.runtime;

/**
 * An error the CLI reports to the user as it is (runc style: one line, no stack trace).
 * Its message says what failed and names the container, file or path involved.
 */
public class JrunException extends RuntimeException {
    public JrunException(String message) {
        super(message);
    }

    public JrunException(String message, Throwable cause) {
        super(message, cause);
    }
}
