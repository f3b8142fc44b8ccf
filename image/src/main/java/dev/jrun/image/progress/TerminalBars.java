package dev.jrun.image.progress;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One bar per blob on a terminal, redrawn in place with ANSI cursor movement: the block of bars
 * is rewritten at most every 100 ms (and whenever a blob ends), so a fast local copy does not
 * spend its time on escape sequences.
 */
final class TerminalBars implements Progress {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final List<Bar> bars = new ArrayList<>();
    private int drawnLines;
    private long lastDraw;

    TerminalBars(PrintStream out) {
        this.out = out;
    }

    private final class Bar implements Task {
        final String id;
        final long size;
        long bytes;
        String state = "";

        Bar(String id, long size) {
            this.id = id;
            this.size = size;
        }

        @Override public void advance(long n) { update(() -> bytes += n, false); }
        @Override public void skipped() { update(() -> state = "already stored", true); }
        @Override public void done() { update(() -> state = "done", true); }
        @Override public void restart() { update(() -> { bytes = 0; state = "retrying"; }, true); }
        @Override public void failed(String why) { update(() -> state = "failed", true); }

        String render() {
            StringBuilder sb = new StringBuilder("sha256:").append(id).append(' ');
            if (state.equals("already stored")) return sb.append("already stored").toString();
            int filled = size > 0 ? (int) Math.min(WIDTH, bytes * WIDTH / size) : (state.equals("done") ? WIDTH : 0);
            sb.append('[').append("=".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
            sb.append(Bytes.human(bytes));
            if (size > 0) sb.append(" / ").append(Bytes.human(size));
            if (!state.isEmpty()) sb.append(' ').append(state);
            return sb.toString();
        }
    }

    @Override
    public synchronized Task start(String id, long size) {
        Bar b = new Bar(id, size);
        bars.add(b);
        draw();
        return b;
    }

    private synchronized void update(Runnable change, boolean force) {
        change.run();
        long now = System.nanoTime();
        if (force || now - lastDraw >= REDRAW_NANOS) draw();
    }

    private void draw() {
        lastDraw = System.nanoTime();
        StringBuilder sb = new StringBuilder();
        if (drawnLines > 0) sb.append("\033[").append(drawnLines).append('A');
        for (Bar b : bars) sb.append('\r').append(b.render()).append("\033[K\n");
        drawnLines = bars.size();
        out.print(sb);
        out.flush();
    }
}
