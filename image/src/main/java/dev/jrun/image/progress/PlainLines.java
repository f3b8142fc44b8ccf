package dev.jrun.image.progress;

import java.io.PrintStream;

/** Progress as whole lines, for output that is not a terminal: no redraws, nothing per chunk. */
final class PlainLines implements Progress {
    private final PrintStream out;

    PlainLines(PrintStream out) {
        this.out = out;
    }

    @Override
    public Task start(String id, long size) {
        return new Task() {
            private long bytes;

            @Override
            public synchronized void advance(long n) {
                bytes += n;
            }

            @Override
            public void skipped() {
                line("Blob sha256:" + id + " already stored");
            }

            @Override
            public synchronized void done() {
                line("Copied blob sha256:" + id + " (" + Bytes.human(bytes) + ")");
            }

            @Override
            public synchronized void restart() {
                line("Retrying blob sha256:" + id + " after " + Bytes.human(bytes));
                bytes = 0;
            }

            @Override
            public void failed(String why) {
                line("Failed blob sha256:" + id + ": " + why);
            }
        };
    }

    private void line(String s) {
        synchronized (out) {
            out.println(s);
            out.flush();
        }
    }
}
