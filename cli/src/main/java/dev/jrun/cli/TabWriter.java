package dev.jrun.cli;

import java.util.List;

/** Go's text/tabwriter as runc uses it: cells padded to max(minWidth, widest + padding). */
final class TabWriter {
    private TabWriter() {}

    static String format(List<String[]> rows, int minWidth, int padding) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols - 1; i++) width[i] = Math.max(width[i], Math.max(minWidth, r[i].length() + padding));
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                sb.append(r[i]);
                if (i < cols - 1) sb.append(" ".repeat(width[i] - r[i].length()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
