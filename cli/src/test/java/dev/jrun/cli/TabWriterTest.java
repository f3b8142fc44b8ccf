package dev.jrun.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TabWriterTest {
    private static final String[] HEADER = {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"};

    @Test
    void shortCellsArePaddedToTheMinimumWidth() {
        String out = TabWriter.format(List.of(HEADER,
                new String[] {"c1", "1234", "running", "/b", "2024-01-01T00:00:00Z", "root"}), 12, 3);
        // Every column 12 wide except CREATED: 20 characters + 3 of padding.
        String row = "%-12s%-12s%-12s%-12s%-23s%s\n";
        assertEquals(String.format(row, (Object[]) HEADER)
                + String.format(row, "c1", "1234", "running", "/b", "2024-01-01T00:00:00Z", "root"), out);
    }

    @Test
    void idColumnWidensToLongestPlusPadding() {
        String id = "a-rather-long-container-id"; // 26 characters: column is 29 wide
        String out = TabWriter.format(List.of(new String[] {"ID", "PID", "OWNER"}, new String[] {id, "0", "root"},
                new String[] {"x", "42", "u"}), 12, 3);
        String[] lines = out.split("\n", -1);
        assertEquals("ID" + " ".repeat(27) + "PID         OWNER", lines[0]);
        assertEquals(id + "   0           root", lines[1]);
        assertEquals("x" + " ".repeat(28) + "42          u", lines[2]);
        assertEquals("", lines[3], "each row ends with a newline");
        assertEquals(29, lines[1].indexOf('0'), "the PID column starts at max(12, 26 + 3)");
    }

    @Test
    void lastColumnIsNotPadded() {
        String out = TabWriter.format(List.of(new String[] {"A", "LAST"}, new String[] {"b", "a-much-longer-last-cell"}), 12, 3);
        assertEquals("A           LAST\nb           a-much-longer-last-cell\n", out);
    }

    @Test
    void headerOnly() {
        assertEquals("ID          PID         STATUS      BUNDLE      CREATED     OWNER\n",
                TabWriter.format(List.<String[]>of(HEADER), 12, 3));
    }
}
