package dev.jrun.image.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes tar archives for tests, hostile ones included: every header field can be set by hand
 * (a size larger than the data, a name with "..", any type byte), with PAX records or GNU long
 * names before an entry. Names are byte-per-char strings (ISO-8859-1), as in the applier.
 */
final class TarWriter {
    /** One header; public fields, set what the test needs. */
    static final class Header {
        String name;
        char type = '0';
        int mode = 0644;
        long uid, gid;
        Long size; // null: the data's length
        long mtime = 1700000000L;
        String linkName = "";
        int devMajor, devMinor;
        /** "posix" (ustar\0 00), "gnu" (ustar  \0) or "v7" (no magic). */
        String format = "posix";
        /** Writes uid as GNU base-256 even when it fits in octal. */
        boolean base256Uid;
        /** Replaces the computed checksum (to corrupt it). */
        Integer checksum;

        Header(String name, char type) {
            this.name = name;
            this.type = type;
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Header header(String name, char type) {
        return new Header(name, type);
    }

    TarWriter file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    TarWriter file(String name, byte[] data) {
        return entry(header(name, '0'), data);
    }

    TarWriter dir(String name) {
        Header h = header(name, '5');
        h.mode = 0755;
        return entry(h, null);
    }

    TarWriter symlink(String name, String target) {
        Header h = header(name, '2');
        h.mode = 0777;
        h.linkName = target;
        return entry(h, null);
    }

    TarWriter hardLink(String name, String target) {
        Header h = header(name, '1');
        h.linkName = target;
        return entry(h, null);
    }

    /** A PAX 'x' header (for the next entry) with these records, in order. */
    TarWriter pax(Map<String, byte[]> records) {
        return paxHeader('x', records);
    }

    TarWriter paxText(String... keyValues) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1].getBytes(StandardCharsets.ISO_8859_1));
        return pax(m);
    }

    TarWriter globalPax(String... keyValues) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1].getBytes(StandardCharsets.ISO_8859_1));
        return paxHeader('g', m);
    }

    private TarWriter paxHeader(char type, Map<String, byte[]> records) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            byte[] key = r.getKey().getBytes(StandardCharsets.ISO_8859_1);
            int body = 1 + key.length + 1 + r.getValue().length + 1; // " key=value\n"
            int len = body + Integer.toString(body).length();
            if (Integer.toString(len).length() != Integer.toString(body).length()) len++;
            b.writeBytes((len + " ").getBytes(StandardCharsets.ISO_8859_1));
            b.writeBytes(key);
            b.write('=');
            b.writeBytes(r.getValue());
            b.write('\n');
        }
        return entry(header("PaxHeaders/x", type), b.toByteArray());
    }

    /** A GNU 'L' (long name) or 'K' (long link) header for the next entry. */
    TarWriter gnuLong(char type, String value) {
        byte[] v = (value + "\0").getBytes(StandardCharsets.ISO_8859_1);
        Header h = header("././@LongLink", type);
        h.format = "gnu";
        return entry(h, v);
    }

    /** Any header, then {@code data} (null: none) padded to 512. */
    TarWriter entry(Header h, byte[] data) {
        byte[] d = data == null ? new byte[0] : data;
        long size = h.size != null ? h.size : d.length;
        byte[] b = new byte[512];
        putString(b, 0, 100, h.name);
        putOctal(b, 100, 8, h.mode);
        if (h.base256Uid || h.uid > 07777777) putBase256(b, 108, 8, h.uid);
        else putOctal(b, 108, 8, h.uid);
        if (h.gid > 07777777) putBase256(b, 116, 8, h.gid);
        else putOctal(b, 116, 8, h.gid);
        if (size < 0 || size > 077777777777L) putBase256(b, 124, 12, size);
        else putOctal(b, 124, 12, size);
        if (h.mtime < 0 || h.mtime > 077777777777L) putBase256(b, 136, 12, h.mtime);
        else putOctal(b, 136, 12, h.mtime);
        b[156] = (byte) h.type;
        putString(b, 157, 100, h.linkName);
        switch (h.format) {
            case "posix" -> {
                putString(b, 257, 6, "ustar");
                b[263] = '0';
                b[264] = '0';
            }
            case "gnu" -> putString(b, 257, 8, "ustar  ");
            default -> { }
        }
        if (!h.format.equals("v7")) {
            putOctal(b, 329, 8, h.devMajor);
            putOctal(b, 337, 8, h.devMinor);
        }
        for (int i = 148; i < 156; i++) b[i] = ' ';
        int sum = 0;
        for (byte x : b) sum += x & 0xFF;
        putOctal(b, 148, 7, h.checksum != null ? h.checksum : sum);
        b[155] = ' ';
        out.writeBytes(b);
        out.writeBytes(d);
        int pad = (512 - d.length % 512) % 512;
        out.writeBytes(new byte[pad]);
        return this;
    }

    /** The archive with its two zero end blocks. */
    byte[] finish() {
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    /** What was written so far, without end blocks (a truncated archive). */
    byte[] unfinished() {
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private static void putString(byte[] b, int off, int len, String s) {
        byte[] v = s.getBytes(StandardCharsets.ISO_8859_1);
        if (v.length > len) throw new IllegalArgumentException("\"" + s + "\" does not fit in " + len + " bytes; use pax()");
        System.arraycopy(v, 0, b, off, v.length);
    }

    private static void putOctal(byte[] b, int off, int len, long v) {
        String s = Long.toOctalString(v);
        if (s.length() > len - 1) throw new IllegalArgumentException(v + " does not fit in " + len + " octal bytes");
        s = "0".repeat(len - 1 - s.length()) + s;
        putString(b, off, len, s);
        b[off + len - 1] = 0;
    }

    private static void putBase256(byte[] b, int off, int len, long v) {
        for (int i = len - 1; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>= 8;
        }
        b[off] |= (byte) 0x80;
    }
}
