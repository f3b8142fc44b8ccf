package dev.jrun.image.zstd;

/**
 * One compressed block (RFC 8878 3.1.1.3): the literals section, then the sequences section,
 * executed into the frame's output window. Holds what carries over from block to block within a
 * frame: the Huffman table, the three FSE tables (for "repeat" mode) and the repeat offsets.
 */
final class BlockDecoder {
    static final int MAX_BLOCK = 128 * 1024;

    // Literal and match length codes: baseline and extra bits (RFC 8878 3.1.1.3.2.1.1).
    private static final int[] LL_BASE = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 24, 28,
        32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536};
    private static final int[] LL_BITS = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 6,
        7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final int[] ML_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
        24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027,
        2051, 4099, 8195, 16387, 32771, 65539};
    private static final int[] ML_BITS = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final int LL_MAX = 35, ML_MAX = 52, OF_MAX = 31;

    private final Huffman huffman = new Huffman();
    private final byte[] literalBuffer = new byte[MAX_BLOCK];
    private byte[] literals;
    private int litPos;
    private int litLen;

    private final Fse.Table llOwn = new Fse.Table(9), ofOwn = new Fse.Table(8), mlOwn = new Fse.Table(9);
    private Fse.Table ll, of, ml;
    private final short[] norm = new short[256];
    private final int[] info = new int[2];
    private final int[] next = new int[256];
    private final BackwardBitReader bits = new BackwardBitReader();
    private int rep0, rep1, rep2;

    /** A new frame: nothing carries over from the last one. */
    void resetFrame() {
        huffman.reset();
        ll = of = ml = null;
        rep0 = 1;
        rep1 = 4;
        rep2 = 8;
    }

    /** Decodes the block src[pos, end) into out[outPos, outLimit); returns the new end of the output. */
    int decode(byte[] src, int pos, int end, byte[] out, int outPos, int outLimit) throws ZstdFormatException {
        pos = readLiterals(src, pos, end);
        if (pos >= end) throw new ZstdFormatException("compressed block without a sequences section");
        int b0 = src[pos++] & 0xFF;
        int count;
        if (b0 < 128) {
            count = b0;
        } else if (b0 < 255) {
            need(pos + 1, end);
            count = ((b0 - 128) << 8) + (src[pos++] & 0xFF);
        } else {
            need(pos + 2, end);
            count = (src[pos] & 0xFF) + ((src[pos + 1] & 0xFF) << 8) + 0x7F00;
            pos += 2;
        }
        if (count == 0) {
            if (pos != end) throw new ZstdFormatException("bytes after an empty sequences section");
            return copyLiterals(out, outPos, outLimit, litPos, litLen);
        }
        need(pos + 1, end);
        int modes = src[pos++] & 0xFF;
        if ((modes & 3) != 0) throw new ZstdFormatException("reserved bits set in the sequence compression modes");
        pos = table(0, modes >>> 6, src, pos, end);
        pos = table(1, (modes >>> 4) & 3, src, pos, end);
        pos = table(2, (modes >>> 2) & 3, src, pos, end);
        return execute(src, pos, end, count, out, outPos, outLimit);
    }

    private static void need(int pos, int end) throws ZstdFormatException {
        if (pos > end) throw new ZstdFormatException("block ends inside a section header");
    }

    /** Reads the literals section; returns where the sequences section starts. */
    private int readLiterals(byte[] src, int pos, int end) throws ZstdFormatException {
        need(pos + 1, end);
        int b0 = src[pos] & 0xFF;
        int type = b0 & 3;
        int format = (b0 >>> 2) & 3;
        if (type <= 1) { // raw or RLE
            int size;
            int header;
            switch (format) {
                case 0, 2 -> { size = b0 >>> 3; header = 1; }
                case 1 -> { need(pos + 2, end); size = (b0 >>> 4) + ((src[pos + 1] & 0xFF) << 4); header = 2; }
                default -> {
                    need(pos + 3, end);
                    size = (b0 >>> 4) + ((src[pos + 1] & 0xFF) << 4) + ((src[pos + 2] & 0xFF) << 12);
                    header = 3;
                }
            }
            if (size > MAX_BLOCK) throw new ZstdFormatException("literals larger than a block");
            pos += header;
            if (type == 0) {
                need(pos + size, end);
                literals = src; // used in place: the block buffer stays put while the block decodes
                litPos = pos;
                litLen = size;
                return pos + size;
            }
            need(pos + 1, end);
            java.util.Arrays.fill(literalBuffer, 0, size, src[pos]);
            literals = literalBuffer;
            litPos = 0;
            litLen = size;
            return pos + 1;
        }
        int header = format <= 1 ? 3 : format + 2;
        need(pos + header, end);
        long v = 0;
        for (int i = 0; i < header; i++) v |= (src[pos + i] & 0xFFL) << (8 * i);
        int sizeBits = format <= 1 ? 10 : format == 2 ? 14 : 18;
        int size = (int) ((v >>> 4) & ((1 << sizeBits) - 1));
        int compressed = (int) ((v >>> (4 + sizeBits)) & ((1 << sizeBits) - 1));
        boolean four = format != 0;
        if (size > MAX_BLOCK) throw new ZstdFormatException("literals larger than a block");
        pos += header;
        int litEnd = pos + compressed;
        need(litEnd, end);
        if (type == 2) {
            pos += huffman.readTree(src, pos, litEnd);
        } else if (!huffman.present()) {
            throw new ZstdFormatException("treeless literals without an earlier Huffman table");
        }
        byte[] lit = literalBuffer;
        if (!four) {
            huffman.decodeStream(src, pos, litEnd, lit, 0, size);
        } else {
            need(pos + 6, litEnd);
            int s1 = (src[pos] & 0xFF) | ((src[pos + 1] & 0xFF) << 8);
            int s2 = (src[pos + 2] & 0xFF) | ((src[pos + 3] & 0xFF) << 8);
            int s3 = (src[pos + 4] & 0xFF) | ((src[pos + 5] & 0xFF) << 8);
            int p1 = pos + 6, p2 = p1 + s1, p3 = p2 + s2, p4 = p3 + s3;
            if (p4 >= litEnd) throw new ZstdFormatException("Huffman jump table past the literals");
            int segment = (size + 3) / 4;
            int last = size - 3 * segment;
            if (last < 0) throw new ZstdFormatException("too few literals for four streams");
            huffman.decodeStream(src, p1, p2, lit, 0, segment);
            huffman.decodeStream(src, p2, p3, lit, segment, segment);
            huffman.decodeStream(src, p3, p4, lit, 2 * segment, segment);
            huffman.decodeStream(src, p4, litEnd, lit, 3 * segment, last);
        }
        literals = lit;
        litPos = 0;
        litLen = size;
        return litEnd;
    }

    /** Sets up the table of kind 0 (literal lengths), 1 (offsets) or 2 (match lengths) by its mode. */
    private int table(int kind, int mode, byte[] src, int pos, int end) throws ZstdFormatException {
        Fse.Table own = kind == 0 ? llOwn : kind == 1 ? ofOwn : mlOwn;
        int maxSymbol = kind == 0 ? LL_MAX : kind == 1 ? OF_MAX : ML_MAX;
        Fse.Table t;
        switch (mode) {
            case 0 -> t = kind == 0 ? Fse.LL_PREDEFINED : kind == 1 ? Fse.OF_PREDEFINED : Fse.ML_PREDEFINED;
            case 1 -> {
                need(pos + 1, end);
                int s = src[pos++] & 0xFF;
                if (s > maxSymbol) throw new ZstdFormatException("RLE sequence symbol " + s + " out of range");
                Fse.rle(own, s);
                t = own;
            }
            case 2 -> {
                int maxLog = kind == 1 ? 8 : 9;
                pos += Fse.readDescription(src, pos, end, norm, maxSymbol, maxLog, info);
                Fse.build(own, norm, info[1], info[0], next);
                t = own;
            }
            default -> {
                t = kind == 0 ? ll : kind == 1 ? of : ml;
                if (t == null) throw new ZstdFormatException("repeat mode without an earlier sequence table");
            }
        }
        if (kind == 0) ll = t;
        else if (kind == 1) of = t;
        else ml = t;
        return pos;
    }

    private int execute(byte[] src, int pos, int end, int count, byte[] out, int op, int outLimit)
            throws ZstdFormatException {
        BackwardBitReader r = bits;
        r.init(src, pos, end);
        Fse.Table llt = ll, oft = of, mlt = ml;
        int llState = (int) r.read(llt.log);
        int ofState = (int) r.read(oft.log);
        int mlState = (int) r.read(mlt.log);
        r.reload();
        byte[] lit = literals;
        int li = litPos;
        int litEnd = litPos + litLen;
        int r0 = rep0, r1 = rep1, r2 = rep2;
        for (int n = 0; n < count; n++) {
            int ofCode = oft.symbol[ofState] & 0xFF;
            int mlCode = mlt.symbol[mlState] & 0xFF;
            int llCode = llt.symbol[llState] & 0xFF;
            if (ofCode > OF_MAX || mlCode > ML_MAX || llCode > LL_MAX)
                throw new ZstdFormatException("sequence code out of range");
            long offsetValue = (1L << ofCode) + r.read(ofCode);
            r.reload();
            int matchLen = ML_BASE[mlCode] + (int) r.read(ML_BITS[mlCode]);
            r.reload();
            int litLen = LL_BASE[llCode] + (int) r.read(LL_BITS[llCode]);
            r.reload();
            int offset;
            if (offsetValue > 3) {
                offset = (int) (offsetValue - 3);
                r2 = r1;
                r1 = r0;
                r0 = offset;
            } else {
                int idx = (int) offsetValue - 1 + (litLen == 0 ? 1 : 0);
                if (idx == 0) {
                    offset = r0;
                } else {
                    offset = idx == 1 ? r1 : idx == 2 ? r2 : r0 - 1;
                    if (idx != 1) r2 = r1;
                    r1 = r0;
                    r0 = offset;
                }
            }
            if (litLen > litEnd - li) throw new ZstdFormatException("sequence uses more literals than the block has");
            if ((long) op + litLen + matchLen > outLimit) throw new ZstdFormatException("block output larger than allowed");
            System.arraycopy(lit, li, out, op, litLen);
            li += litLen;
            op += litLen;
            if (offset <= 0 || offset > op) throw new ZstdFormatException("match offset " + offset + " before the start of the window");
            int from = op - offset;
            if (offset >= matchLen) {
                System.arraycopy(out, from, out, op, matchLen);
            } else {
                for (int i = 0; i < matchLen; i++) out[op + i] = out[from + i];
            }
            op += matchLen;
            if (n + 1 < count) {
                llState = llt.base[llState] + (int) r.read(llt.nbBits[llState]);
                mlState = mlt.base[mlState] + (int) r.read(mlt.nbBits[mlState]);
                ofState = oft.base[ofState] + (int) r.read(oft.nbBits[ofState]);
                r.reload();
            }
        }
        if (!r.finished()) throw new ZstdFormatException("sequence stream does not end where the block does");
        rep0 = r0;
        rep1 = r1;
        rep2 = r2;
        return copyLiterals(out, op, outLimit, li, litEnd - li);
    }

    private int copyLiterals(byte[] out, int op, int outLimit, int from, int len) throws ZstdFormatException {
        if ((long) op + len > outLimit) throw new ZstdFormatException("block output larger than allowed");
        System.arraycopy(literals, from, out, op, len);
        return op + len;
    }
}
