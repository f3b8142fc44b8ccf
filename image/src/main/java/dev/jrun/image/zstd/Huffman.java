package dev.jrun.image.zstd;

/**
 * The Huffman coding of literals (RFC 8878 4.2): a tree description (weights, either as 4-bit
 * nibbles or FSE-compressed), a single-symbol decoding table indexed by the next maxBits bits,
 * and the decoding of one stream.
 */
final class Huffman {
    private static final int MAX_BITS = 12;

    private final byte[] symbol = new byte[1 << MAX_BITS];
    private final byte[] nbBits = new byte[1 << MAX_BITS];
    private int maxBits;
    private boolean present;

    private final byte[] weights = new byte[256];
    private final int[] rank = new int[MAX_BITS + 2];
    private final Fse.Table weightTable = new Fse.Table(6);
    private final short[] norm = new short[256];
    private final int[] info = new int[2];
    private final int[] next = new int[256];
    private final BackwardBitReader bits = new BackwardBitReader();

    /** A new frame: a treeless literals block may not use the last frame's table. */
    void reset() {
        present = false;
    }

    boolean present() {
        return present;
    }

    /** Reads a tree description at src[pos, end) and builds the table; returns the bytes it took. */
    int readTree(byte[] src, int pos, int end) throws ZstdFormatException {
        if (pos >= end) throw new ZstdFormatException("missing Huffman tree description");
        int header = src[pos] & 0xFF;
        int numWeights;
        int consumed;
        if (header < 128) {
            int descEnd = pos + 1 + header;
            if (header == 0 || descEnd > end) throw new ZstdFormatException("bad Huffman tree description size");
            int n = Fse.readDescription(src, pos + 1, descEnd, norm, 255, 6, info);
            Fse.build(weightTable, norm, info[1], info[0], next);
            numWeights = decodeWeights(src, pos + 1 + n, descEnd);
            consumed = 1 + header;
        } else {
            numWeights = header - 127;
            int bytes = (numWeights + 1) / 2;
            if (pos + 1 + bytes > end) throw new ZstdFormatException("Huffman weights run past their block");
            for (int i = 0; i < numWeights; i++) {
                int b = src[pos + 1 + i / 2] & 0xFF;
                weights[i] = (byte) ((i & 1) == 0 ? b >>> 4 : b & 15);
            }
            consumed = 1 + bytes;
        }
        buildTable(numWeights);
        return consumed;
    }

    /** FSE-decoded weights: two states over one table, taking turns until the stream overflows. */
    private int decodeWeights(byte[] src, int start, int end) throws ZstdFormatException {
        Fse.Table t = weightTable;
        BackwardBitReader r = bits;
        r.init(src, start, end);
        int s1 = (int) r.read(t.log);
        int s2 = (int) r.read(t.log);
        r.reload();
        int n = 0;
        while (true) {
            if (n >= 255) throw new ZstdFormatException("too many Huffman weights");
            weights[n++] = t.symbol[s1];
            s1 = t.base[s1] + (int) r.read(t.nbBits[s1]);
            r.reload();
            if (r.overflowed()) {
                weights[n++] = t.symbol[s2];
                break;
            }
            if (n >= 255) throw new ZstdFormatException("too many Huffman weights");
            weights[n++] = t.symbol[s2];
            s2 = t.base[s2] + (int) r.read(t.nbBits[s2]);
            r.reload();
            if (r.overflowed()) {
                weights[n++] = t.symbol[s1];
                break;
            }
        }
        return n;
    }

    /** Weights of symbols 0..numWeights-1 (the last symbol's is implied) to the decoding table. */
    private void buildTable(int numWeights) throws ZstdFormatException {
        int total = 0;
        for (int i = 0; i < numWeights; i++) {
            int w = weights[i];
            if (w > MAX_BITS) throw new ZstdFormatException("Huffman weight " + w + " above " + MAX_BITS);
            if (w > 0) total += 1 << (w - 1);
        }
        if (total == 0) throw new ZstdFormatException("Huffman tree without weights");
        int max = 32 - Integer.numberOfLeadingZeros(total);
        if (max > MAX_BITS) throw new ZstdFormatException("Huffman codes longer than " + MAX_BITS + " bits");
        int left = (1 << max) - total;
        if ((left & (left - 1)) != 0) throw new ZstdFormatException("Huffman weights do not sum to a power of two");
        weights[numWeights] = (byte) (32 - Integer.numberOfLeadingZeros(left));
        int numSymbols = numWeights + 1;
        java.util.Arrays.fill(rank, 0);
        for (int s = 0; s < numSymbols; s++) rank[weights[s]]++;
        // Codes go to symbols by increasing weight, then symbol value: the longest codes (lowest
        // weight) get the lowest table positions.
        int position = 0;
        for (int w = 1; w <= max; w++) {
            int count = rank[w];
            rank[w] = position;
            position += count << (w - 1);
        }
        for (int s = 0; s < numSymbols; s++) {
            int w = weights[s];
            if (w == 0) continue;
            int len = 1 << (w - 1);
            int from = rank[w];
            byte nb = (byte) (max + 1 - w);
            for (int u = from; u < from + len; u++) {
                symbol[u] = (byte) s;
                nbBits[u] = nb;
            }
            rank[w] = from + len;
        }
        maxBits = max;
        present = true;
    }

    /** Decodes {@code count} literals from the stream src[start, end) into out[outPos...]. */
    void decodeStream(byte[] src, int start, int end, byte[] out, int outPos, int count) throws ZstdFormatException {
        BackwardBitReader r = bits;
        r.init(src, start, end);
        int mb = maxBits;
        byte[] sym = symbol;
        byte[] nb = nbBits;
        for (int i = outPos, stop = outPos + count; i < stop; i++) {
            int idx = (int) r.peek(mb);
            out[i] = sym[idx];
            r.skip(nb[idx]);
            r.reload();
        }
        if (!r.finished()) throw new ZstdFormatException("Huffman stream does not end where its size says");
    }
}
