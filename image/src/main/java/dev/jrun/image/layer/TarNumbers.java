package dev.jrun.image.layer;

import dev.jrun.image.ImageException;

/** Numeric tar header fields: octal text, or GNU's base-256 (the high bit of the first byte set). */
final class TarNumbers {
    private TarNumbers() {}

    static long parse(byte[] b, int off, int len, String field, String where) {
        if ((b[off] & 0x80) != 0) {
            // Big-endian two's complement; 0x40 in the first byte means negative (as Go reads it).
            int inv = (b[off] & 0x40) != 0 ? 0xFF : 0;
            long x = 0;
            for (int i = 0; i < len; i++) {
                int c = (b[off + i] & 0xFF) ^ inv;
                if (i == 0) c &= 0x7F;
                if ((x >>> 55) != 0) throw new ImageException(where + ": base-256 " + field + " overflows");
                x = (x << 8) | c;
            }
            return inv == 0xFF ? ~x : x;
        }
        int i = off, end = off + len;
        while (i < end && (b[i] == ' ' || b[i] == 0)) i++;
        long v = 0;
        int digits = 0;
        while (i < end && b[i] >= '0' && b[i] <= '7') {
            if ((v >>> 60) != 0) throw new ImageException(where + ": " + field + " overflows");
            v = (v << 3) | (b[i] - '0');
            i++;
            digits++;
        }
        while (i < end && (b[i] == ' ' || b[i] == 0)) i++;
        if (i != end) throw new ImageException(where + ": invalid " + field + " field in the tar header");
        return digits == 0 ? 0 : v;
    }
}
