package dev.jrun.image.progress;

import java.io.PrintStream;

/**
 * Per-blob progress of a pull or an import. Blobs move on several threads at once, so every
 * implementation is thread-safe. On a terminal each blob has a bar that is redrawn in place;
 * elsewhere (a log, CI) each blob gets one line when it starts being copied and one when it ends.
 */
public interface Progress {
    /** Reports nothing (--quiet, library use). */
    Progress NONE = (id, size) -> new Task() {};

    /** A blob named {@code id} (a short digest) of {@code size} bytes (negative: unknown) begins. */
    Task start(String id, long size);

    static Progress forStream(PrintStream out, boolean terminal) {
        return terminal ? new TerminalBars(out) : new PlainLines(out);
    }

    /** One blob's transfer; the methods after {@link #advance} end it (restart begins it again). */
    interface Task {
        default void advance(long bytes) {}

        /** The blob was already in the store. */
        default void skipped() {}

        default void done() {}

        /** The transfer broke and starts over from the first byte. */
        default void restart() {}

        default void failed(String why) {}
    }
}
