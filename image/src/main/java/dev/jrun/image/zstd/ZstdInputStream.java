package dev.jrun.image.zstd;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A zstd decompressing stream (RFC 8878), in plain Java: no native library and no
 * sun.misc.Unsafe (the pure-Java decoders on Maven Central read memory through Unsafe, which
 * JDK 25 warns about on stderr). Decodes concatenated frames and skips skippable frames, checks
 * each frame's content checksum and content size when the frame has them. Dictionaries are not
 * supported (image layers do not use them).
 *
 * <p>Output goes into one window buffer that keeps as much history as the frame's window size
 * asks for (grown as output arrives, so a small layer with a large declared window stays small).
 */
public final class ZstdInputStream extends InputStream {
    private static final int MAGIC = 0xFD2FB528;
    private static final int SKIPPABLE_MASK = 0xFFFFFFF0, SKIPPABLE = 0x184D2A50;
    /** zstd's decoders refuse larger windows by default; so does this one (a bomb guard). */
    public static final long MAX_WINDOW = 1L << 29;

    private final InputStream in;
    private final byte[] block = new byte[BlockDecoder.MAX_BLOCK + 8];
    private final byte[] small = new byte[8];
    private final BlockDecoder decoder = new BlockDecoder();
    private final XxHash64 hash = new XxHash64();

    private byte[] window = new byte[1 << 20];
    private int readPos;
    private int writePos;

    private boolean inFrame;
    private boolean lastBlock;
    private long windowSize;
    private int blockMax;
    private boolean hasChecksum;
    private long contentSize;
    private long produced;
    private boolean eof;

    public ZstdInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (readPos == writePos) {
            if (!fill()) return -1;
        }
        int n = Math.min(len, writePos - readPos);
        System.arraycopy(window, readPos, b, off, n);
        readPos += n;
        return n;
    }

    /** Decodes more output; false at the clean end of the stream. */
    private boolean fill() throws IOException {
        if (eof) return false;
        if (!inFrame) {
            if (!startFrame()) {
                eof = true;
                return false;
            }
            return true;
        }
        if (lastBlock) {
            endFrame();
            return true;
        }
        decodeBlock();
        return true;
    }

    private boolean startFrame() throws IOException {
        while (true) {
            int first = in.read();
            if (first < 0) return false;
            small[0] = (byte) first;
            readFully(small, 1, 3, "frame magic number");
            int magic = le32(small, 0);
            if ((magic & SKIPPABLE_MASK) == SKIPPABLE) {
                readFully(small, 0, 4, "skippable frame size");
                skipFully(le32(small, 0) & 0xFFFFFFFFL);
                continue;
            }
            if (magic != MAGIC)
                throw new ZstdFormatException("not a zstd frame (magic 0x" + Integer.toHexString(magic) + ")");
            break;
        }
        readFully(small, 0, 1, "frame header");
        int fhd = small[0] & 0xFF;
        int fcsFlag = fhd >>> 6;
        boolean single = (fhd & 0x20) != 0;
        if ((fhd & 0x08) != 0) throw new ZstdFormatException("reserved bit set in the frame header");
        hasChecksum = (fhd & 0x04) != 0;
        int dictBytes = new int[] {0, 1, 2, 4}[fhd & 3];
        int fcsBytes = new int[] {single ? 1 : 0, 2, 4, 8}[fcsFlag];
        int rest = (single ? 0 : 1) + dictBytes + fcsBytes;
        readFully(small, 0, rest, "frame header");
        int p = 0;
        if (!single) {
            int wd = small[p++] & 0xFF;
            int exponent = wd >>> 3;
            long base = 1L << (10 + exponent);
            windowSize = base + (base / 8) * (wd & 7);
        }
        long dictId = 0;
        for (int i = 0; i < dictBytes; i++) dictId |= (small[p++] & 0xFFL) << (8 * i);
        if (dictId != 0) throw new ZstdFormatException("frame needs dictionary " + dictId + " (not supported)");
        long fcs = -1;
        if (fcsBytes > 0) {
            fcs = 0;
            for (int i = 0; i < fcsBytes; i++) fcs |= (small[p++] & 0xFFL) << (8 * i);
            if (fcsBytes == 2) fcs += 256;
        }
        contentSize = fcs;
        if (single) windowSize = fcs;
        if (windowSize > MAX_WINDOW || windowSize < 0)
            throw new ZstdFormatException("window of " + Long.toUnsignedString(windowSize) + " bytes is above the "
                    + MAX_WINDOW + " this decoder accepts");
        blockMax = (int) Math.min(windowSize, BlockDecoder.MAX_BLOCK);
        decoder.resetFrame();
        hash.reset();
        produced = 0;
        readPos = writePos = 0; // the reader has taken everything: the new frame starts a fresh window
        inFrame = true;
        lastBlock = false;
        return true;
    }

    private void decodeBlock() throws IOException {
        readFully(small, 0, 3, "block header");
        int header = (small[0] & 0xFF) | ((small[1] & 0xFF) << 8) | ((small[2] & 0xFF) << 16);
        lastBlock = (header & 1) != 0;
        int type = (header >>> 1) & 3;
        int size = header >>> 3;
        if (type == 3) throw new ZstdFormatException("reserved block type");
        if (size > blockMax)
            throw new ZstdFormatException("block of " + size + " bytes is larger than the frame allows (" + blockMax + ")");
        makeRoom();
        int start = writePos;
        switch (type) {
            case 0 -> {
                readFully(window, writePos, size, "raw block");
                writePos += size;
            }
            case 1 -> {
                readFully(small, 0, 1, "RLE block");
                java.util.Arrays.fill(window, writePos, writePos + size, small[0]);
                writePos += size;
            }
            default -> {
                readFully(block, 0, size, "compressed block");
                writePos = decoder.decode(block, 0, size, window, writePos, writePos + blockMax);
            }
        }
        produced += writePos - start;
        if (hasChecksum) hash.update(window, start, writePos - start);
    }

    private void endFrame() throws IOException {
        if (hasChecksum) {
            readFully(small, 0, 4, "frame checksum");
            int expected = le32(small, 0);
            int actual = (int) hash.digest();
            if (expected != actual)
                throw new ZstdFormatException("content checksum mismatch (frame says " + Integer.toHexString(expected)
                        + ", content has " + Integer.toHexString(actual) + ")");
        }
        if (contentSize >= 0 && produced != contentSize)
            throw new ZstdFormatException("frame content is " + produced + " bytes, its header says " + contentSize);
        inFrame = false;
    }

    /**
     * Before a block: room for one more block after the history the window needs. When the
     * buffer is full, the last windowSize bytes move to its start (or it grows, up to the
     * window plus slack, so that moves stay rare).
     */
    private void makeRoom() {
        if (window.length - writePos >= BlockDecoder.MAX_BLOCK) return;
        int keep = (int) Math.min(windowSize, writePos);
        long slack = Math.clamp(windowSize, 1L << 20, 64L << 20);
        int target = (int) Math.min(windowSize + slack + BlockDecoder.MAX_BLOCK, Integer.MAX_VALUE - 64);
        byte[] dest = window;
        if (window.length < target) {
            dest = new byte[(int) Math.min(Math.max(2L * window.length, keep + (long) BlockDecoder.MAX_BLOCK), target)];
        }
        System.arraycopy(window, writePos - keep, dest, 0, keep);
        window = dest;
        readPos = writePos = keep;
    }

    private void readFully(byte[] b, int off, int len, String what) throws IOException {
        while (len > 0) {
            int n = in.read(b, off, len);
            if (n < 0) throw new EOFException("zstd: unexpected end of the compressed stream in the " + what + " (truncated)");
            off += n;
            len -= n;
        }
    }

    private void skipFully(long n) throws IOException {
        while (n > 0) {
            int k = in.read(block, 0, (int) Math.min(n, block.length));
            if (k < 0) throw new EOFException("zstd: unexpected end of the compressed stream in a skippable frame (truncated)");
            n -= k;
        }
    }

    private static int le32(byte[] b, int off) {
        return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8) | ((b[off + 2] & 0xFF) << 16) | ((b[off + 3] & 0xFF) << 24);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
