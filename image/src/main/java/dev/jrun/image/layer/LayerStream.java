package dev.jrun.image.layer;

import dev.jrun.image.Digest;
import dev.jrun.image.io.ReadAhead;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * The uncompressed tar stream of a layer, hashed as it passes (the diff_id is the sha256 of all
 * of it, padding after the end-of-archive blocks included, so {@link #drain} reads to the end).
 *
 * <p>With read-ahead, a second thread decompresses into a few buffers ahead of the reader, so
 * inflating overlaps the file system work; the reader hashes what it takes. Measured on a
 * 180 MiB Debian layer, inflate alone (0.5 s) is about what the reader's side takes (file
 * system work 0.4 s, sha256 0.13 s), so this split keeps both threads busy.
 */
final class LayerStream extends InputStream {
    private static final int CHUNK = 256 << 10;
    private static final int CHUNKS = 8;

    private final InputStream in;
    private final MessageDigest sha = Digest.newSha256();

    private LayerStream(InputStream in) {
        this.in = in;
    }

    /** Opens the blob {@code raw}: decompression told by magic bytes, hashing, and read-ahead if asked. */
    static LayerStream open(InputStream raw, boolean readAhead) throws IOException {
        InputStream tar = Decompression.open(raw, null);
        return new LayerStream(readAhead ? new ReadAhead(tar, CHUNKS, CHUNK, "jrun-layer-inflate") : tar);
    }

    /** Reads everything left (the tail after the archive's end blocks counts for the digest). */
    void drain() throws IOException {
        byte[] skip = new byte[CHUNK];
        while (read(skip, 0, skip.length) >= 0) {
            // discard
        }
    }

    /** The sha256 of the whole stream; only after it was read to the end. */
    Digest digest() {
        return Digest.of(sha);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) sha.update(b, off, n);
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
