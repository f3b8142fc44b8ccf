package dev.jrun.image.layer;

import dev.jrun.image.ImageException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a tar stream: ustar, GNU (long names 'L', long links 'K', base-256 numbers) and PAX
 * ('x' and 'g' headers). {@link #next} returns each member with its headers folded in; the
 * member's data is then read in place from this reader's buffer with {@link #nextData}, so file
 * content is copied once, from here to the write buffer.
 *
 * <p>As Go's archive/tar (which containerd, umoci and docker use) does, the size field of
 * header-only types (links, directories, devices, FIFOs) is ignored: they have no data.
 */
final class TarReader {
    private static final int BLOCK = 512;
    /** Largest PAX or GNU long-name header accepted: far above any real one, and a bound on memory. */
    static final int MAX_META = 8 << 20;

    private final InputStream in;
    private final byte[] buf = new byte[1 << 20];
    private int pos;
    private int limit;
    private long consumedBefore; // stream offset of buf[0]
    private boolean inputEnded;

    private long dataLeft;
    private long padLeft;
    private int dataPos;
    private String current = "(start of the archive)";
    private final PaxHeaders global = new PaxHeaders();

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The member being read, for messages (as text). */
    String current() {
        return current;
    }

    /** The next member, or null at the end of the archive (a zero block, or the end of the stream). */
    TarEntry next() throws IOException {
        skipRest();
        PaxHeaders local = null;
        String longName = null;
        String longLink = null;
        while (true) {
            long headerOffset = offset();
            if (!ensure(BLOCK)) {
                if (local != null || longName != null || longLink != null)
                    throw new ImageException("entry " + current + ": the archive ends after its extended header");
                return null;
            }
            byte[] b = buf;
            int h = pos;
            if (zero(b, h)) {
                pos += BLOCK;
                return null;
            }
            checkSum(b, h, headerOffset);
            char type = (char) (b[h + 156] & 0xFF);
            String rawName = cstring(b, h, 100);
            boolean posix = b[h + 257] == 'u' && b[h + 258] == 's' && b[h + 259] == 't' && b[h + 260] == 'a'
                    && b[h + 261] == 'r' && b[h + 262] == 0;
            boolean gnu = b[h + 257] == 'u' && b[h + 258] == 's' && b[h + 259] == 't' && b[h + 260] == 'a'
                    && b[h + 261] == 'r' && b[h + 262] == ' ';
            if (posix && b[h + 345] != 0) rawName = cstring(b, h + 345, 155) + "/" + rawName;
            String where = "entry " + TarEntry.display(longName != null ? longName : local != null && local.path != null
                    ? local.path : rawName);
            current = where.substring("entry ".length());
            long size = TarNumbers.parse(b, h + 124, 12, "size", where);
            if (size < 0) throw new ImageException(where + ": negative size in the tar header");
            pos += BLOCK;
            switch (type) {
                case 'x' -> {
                    byte[] data = readMeta(size, where);
                    PaxHeaders p = PaxHeaders.parse(data, (int) size, where);
                    if (local == null) local = p;
                    else local.merge(p);
                    continue;
                }
                case 'g' -> {
                    global.merge(PaxHeaders.parse(readMeta(size, where), (int) size, where));
                    continue;
                }
                case 'L' -> {
                    longName = cstring(readMeta(size, where), 0, (int) size);
                    continue;
                }
                case 'K' -> {
                    longLink = cstring(readMeta(size, where), 0, (int) size);
                    continue;
                }
                default -> { }
            }
            String name = local != null && local.path != null ? local.path : longName != null ? longName : rawName;
            String link = local != null && local.linkPath != null ? local.linkPath
                    : longLink != null ? longLink : cstring(b, h + 157, 100);
            TarEntry.Type t = switch (type) {
                case '0', '\0', '7' -> name.endsWith("/") && type == '\0' ? TarEntry.Type.DIR : TarEntry.Type.FILE;
                case '1' -> TarEntry.Type.HARDLINK;
                case '2' -> TarEntry.Type.SYMLINK;
                case '3' -> TarEntry.Type.CHAR;
                case '4' -> TarEntry.Type.BLOCK;
                case '5' -> TarEntry.Type.DIR;
                case '6' -> TarEntry.Type.FIFO;
                case 'S' -> throw new ImageException(where + ": GNU sparse files are not supported");
                default -> throw new ImageException(where + ": unsupported tar entry type '" + printable(type) + "'");
            };
            if (local != null && local.size >= 0) size = local.size; // PAX size is parsed as non-negative
            int mode = (int) (TarNumbers.parse(b, h + 100, 8, "mode", where) & 07777);
            long uid = pick(local, global, true, TarNumbers.parse(b, h + 108, 8, "uid", where));
            long gid = pick(local, global, false, TarNumbers.parse(b, h + 116, 8, "gid", where));
            if (uid > 0xFFFFFFFFL || gid > 0xFFFFFFFFL || uid < 0 || gid < 0)
                throw new ImageException(where + ": uid/gid " + uid + "/" + gid + " out of range");
            long[] mtime = local != null && local.mtime != null ? local.mtime : global.mtime;
            if (mtime == null) mtime = new long[] {TarNumbers.parse(b, h + 136, 12, "mtime", where), 0};
            long[] atime = local != null && local.atime != null ? local.atime : global.atime;
            if (atime == null && gnu) {
                long a = TarNumbers.parse(b, h + 345, 12, "atime", where);
                if (a != 0) atime = new long[] {a, 0};
            }
            if (atime == null) atime = mtime;
            int major = 0, minor = 0;
            if (t == TarEntry.Type.CHAR || t == TarEntry.Type.BLOCK) {
                major = (int) (local != null && local.devMajor >= 0 ? local.devMajor
                        : TarNumbers.parse(b, h + 329, 8, "devmajor", where));
                minor = (int) (local != null && local.devMinor >= 0 ? local.devMinor
                        : TarNumbers.parse(b, h + 337, 8, "devminor", where));
            }
            List<TarEntry.Xattr> xattrs = List.of();
            if (global.xattrs != null || (local != null && local.xattrs != null)) {
                PaxHeaders x = new PaxHeaders();
                x.merge(global);
                if (local != null) x.merge(local);
                xattrs = x.xattrs == null ? List.of() : new ArrayList<>(x.xattrs);
            }
            boolean hasData = t == TarEntry.Type.FILE;
            dataLeft = hasData ? size : 0;
            padLeft = hasData ? (BLOCK - (size % BLOCK)) % BLOCK : 0;
            return new TarEntry(name, t, mode, (int) uid, (int) gid, size, mtime[0], (int) mtime[1], atime[0],
                    (int) atime[1], link, major, minor, xattrs);
        }
    }

    private static long pick(PaxHeaders local, PaxHeaders global, boolean uid, long header) {
        long l = local == null ? -1 : uid ? local.uid : local.gid;
        if (l >= 0) return l;
        long g = uid ? global.uid : global.gid;
        return g >= 0 ? g : header;
    }

    /**
     * Makes the next piece of the current member's data available at
     * {@link #buffer}()[{@link #dataPos}(), +n) and returns n; 0 when all of it was read.
     */
    int nextData() throws IOException {
        if (dataLeft == 0) return 0;
        if (pos == limit) {
            emptyBuffer();
            if (!read()) throw truncated();
        }
        int n = (int) Math.min(dataLeft, limit - pos);
        dataPos = pos;
        pos += n;
        dataLeft -= n;
        return n;
    }

    byte[] buffer() {
        return buf;
    }

    int dataPos() {
        return dataPos;
    }

    /** Skips what is left of the current member's data and its padding. */
    private void skipRest() throws IOException {
        long left = dataLeft + padLeft;
        dataLeft = padLeft = 0;
        while (left > 0) {
            if (pos == limit) {
                emptyBuffer();
                if (!read()) throw truncated();
            }
            int n = (int) Math.min(left, limit - pos);
            pos += n;
            left -= n;
        }
    }

    private ImageException truncated() {
        return new ImageException("entry " + current + ": unexpected end of the layer's tar stream (truncated)");
    }

    /** The data of a meta header (PAX, long name), with its padding skipped. */
    private byte[] readMeta(long size, String where) throws IOException {
        if (size > MAX_META) throw new ImageException(where + ": extended header of " + size + " bytes (the limit is " + MAX_META + ")");
        byte[] data = new byte[(int) size];
        int got = 0;
        while (got < size) {
            if (pos == limit) {
                emptyBuffer();
                if (!read()) throw truncated();
            }
            int n = (int) Math.min(size - got, limit - pos);
            System.arraycopy(buf, pos, data, got, n);
            pos += n;
            got += n;
        }
        padLeft = (BLOCK - (size % BLOCK)) % BLOCK;
        skipRest();
        return data;
    }

    /** Ensures n bytes at pos; false when the stream ended exactly here; an error when it ended inside. */
    private boolean ensure(int n) throws IOException {
        if (limit - pos >= n) return true;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            consumedBefore += pos;
            limit -= pos;
            pos = 0;
        }
        while (limit < n) {
            if (!read()) {
                if (limit == 0) return false;
                throw new ImageException("entry " + current + ": unexpected end of the layer's tar stream inside a header (truncated)");
            }
        }
        return true;
    }

    /** Everything in buf was consumed: start it over. */
    private void emptyBuffer() {
        consumedBefore += limit;
        pos = limit = 0;
    }

    /** Reads more into buf[limit...]; false at the end of the stream. */
    private boolean read() throws IOException {
        if (inputEnded) return false;
        int n;
        try {
            n = in.read(buf, limit, buf.length - limit);
        } catch (ImageException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageException("entry " + current + ": " + describe(e), e);
        }
        if (n < 0) {
            inputEnded = true;
            return false;
        }
        limit += n;
        return true;
    }

    /** A decompression error as a sentence: truncation says so. */
    static String describe(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.io.EOFException && !m.contains("truncated")) return "unexpected end of the compressed layer (truncated): " + m;
        return "cannot decompress the layer: " + m;
    }

    private long offset() {
        return consumedBefore + pos;
    }

    /** Where the current member's data begins in the uncompressed stream; valid before its data is read. */
    long dataOffset() {
        return offset();
    }

    private static boolean zero(byte[] b, int h) {
        for (int i = 0; i < BLOCK; i++) if (b[h + i] != 0) return false;
        return true;
    }

    private void checkSum(byte[] b, int h, long offset) {
        long unsigned = 0, signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int v = (i >= 148 && i < 156) ? ' ' : b[h + i];
            unsigned += v & 0xFF;
            signed += (i >= 148 && i < 156) ? ' ' : b[h + i];
        }
        long stored;
        try {
            stored = TarNumbers.parse(b, h + 148, 8, "checksum", "header");
        } catch (ImageException e) {
            stored = -1;
        }
        if (stored != unsigned && stored != signed)
            throw new ImageException("invalid tar header at byte " + offset + " of the uncompressed layer (after entry "
                    + current + "): checksum mismatch; not a tar archive, or corrupt");
    }

    /** A NUL-terminated field as a byte-per-char string. */
    private static String cstring(byte[] b, int off, int max) {
        int end = off;
        while (end < off + max && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.ISO_8859_1);
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02x", (int) c);
    }
}
