package dev.jrun.runtime.state;

/** The OCI status values, spelled as runc prints them. */
public enum Status {
    CREATING, CREATED, RUNNING, PAUSED, STOPPED;

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return json();
    }
}
