package dev.jrun.image.layer;

import dev.jrun.image.zstd.ZstdInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * A layer blob's compression, told by its first bytes rather than its media type (registries
 * and docker archives are not always truthful about it): gzip 1f 8b, zstd 28 b5 2f fd, anything
 * else is taken as an uncompressed tar (and fails as such if it is not one).
 */
public final class Decompression {
    private Decompression() {}

    public enum Kind { GZIP, ZSTD, NONE }

    static final int BUFFER = 1 << 16;

    /** The uncompressed stream of {@code raw}; {@code kind[0]} receives what was found. */
    static InputStream open(InputStream raw, Kind[] kind) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        Kind k = detect(magic);
        if (kind != null) kind[0] = k;
        return switch (k) {
            // GZIPInputStream reads concatenated members (JDK 25 always looks for a next header).
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case ZSTD -> new ZstdInputStream(in);
            case NONE -> in;
        };
    }

    /** The compression the first bytes of a blob show ({@code m} may be shorter than 4 bytes). */
    public static Kind detect(byte[] m) {
        if (m.length >= 2 && (m[0] & 0xFF) == 0x1F && (m[1] & 0xFF) == 0x8B) return Kind.GZIP;
        if (m.length >= 4 && (m[0] & 0xFF) == 0x28 && (m[1] & 0xFF) == 0xB5 && (m[2] & 0xFF) == 0x2F
                && (m[3] & 0xFF) == 0xFD) return Kind.ZSTD;
        return Kind.NONE;
    }
}
