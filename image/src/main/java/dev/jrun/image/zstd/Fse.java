package dev.jrun.image.zstd;

/**
 * Finite State Entropy tables (RFC 8878 section 4.1): reading a table description (normalized
 * counts), building the decoding table from it, and the predefined tables for literal lengths,
 * match lengths and offsets.
 */
final class Fse {
    private Fse() {}

    /** A decoding table: per state, the symbol, how many bits to read, and the next state's base. */
    static final class Table {
        int log;
        final byte[] symbol;
        final byte[] nbBits;
        final int[] base;

        Table(int maxLog) {
            int size = 1 << maxLog;
            symbol = new byte[size];
            nbBits = new byte[size];
            base = new int[size];
        }
    }

    // Default distributions (RFC 8878 3.1.1.3.2.2).
    private static final short[] LL_DEFAULT = {4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2,
        2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1};
    private static final short[] ML_DEFAULT = {1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1};
    private static final short[] OF_DEFAULT = {1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        -1, -1, -1, -1, -1};

    static final Table LL_PREDEFINED = predefined(LL_DEFAULT, 6);
    static final Table ML_PREDEFINED = predefined(ML_DEFAULT, 6);
    static final Table OF_PREDEFINED = predefined(OF_DEFAULT, 5);

    private static Table predefined(short[] norm, int log) {
        Table t = new Table(log);
        try {
            build(t, norm, norm.length - 1, log, new int[256]);
        } catch (ZstdFormatException e) {
            throw new ExceptionInInitializerError(e);
        }
        return t;
    }

    /** A table of one state that always decodes {@code symbol} and reads no bits (RLE mode). */
    static void rle(Table t, int symbol) {
        t.log = 0;
        t.symbol[0] = (byte) symbol;
        t.nbBits[0] = 0;
        t.base[0] = 0;
    }

    /**
     * Reads a table description at src[pos, end) into {@code norm} (the counts; -1 marks a
     * "less than one" probability). Returns the bytes it took; info[0] is the accuracy log,
     * info[1] the last symbol with a count.
     */
    static int readDescription(byte[] src, int pos, int end, short[] norm, int maxSymbol, int maxLog, int[] info)
            throws ZstdFormatException {
        long bit = 0;
        int log = bits(src, pos, end, bit, 4) + 5;
        bit += 4;
        if (log > maxLog) throw new ZstdFormatException("FSE accuracy log " + log + " above the maximum " + maxLog);
        int remaining = (1 << log) + 1;
        int threshold = 1 << log;
        int nbBits = log + 1;
        int symbol = 0;
        while (remaining > 1) {
            if (symbol > maxSymbol) throw new ZstdFormatException("FSE table description has too many symbols");
            int max = (2 * threshold - 1) - remaining;
            int v = bits(src, pos, end, bit, nbBits);
            int count;
            if ((v & (threshold - 1)) < max) {
                count = v & (threshold - 1);
                bit += nbBits - 1;
            } else {
                count = v & (2 * threshold - 1);
                if (count >= threshold) count -= max;
                bit += nbBits;
            }
            count--;
            remaining -= count < 0 ? -count : count;
            norm[symbol++] = (short) count;
            if (count == 0) {
                // A zero count is followed by 2-bit repeat flags: that many more zeros (3: go on).
                while (true) {
                    int repeat = bits(src, pos, end, bit, 2);
                    bit += 2;
                    for (int i = 0; i < repeat; i++) {
                        if (symbol > maxSymbol) throw new ZstdFormatException("FSE table description has too many symbols");
                        norm[symbol++] = 0;
                    }
                    if (repeat != 3) break;
                }
            }
            if (remaining < 1) throw new ZstdFormatException("FSE table description with counts over the total");
            while (remaining < threshold) {
                nbBits--;
                threshold >>= 1;
            }
        }
        int bytes = (int) ((bit + 7) >>> 3);
        if (pos + bytes > end) throw new ZstdFormatException("FSE table description runs past its block");
        for (int s = symbol; s <= maxSymbol; s++) norm[s] = 0;
        info[0] = log;
        info[1] = symbol - 1;
        return bytes;
    }

    /** {@code n} (at most 25) bits at bit offset {@code bit} of src[pos, end), little-endian; zeros past end. */
    private static int bits(byte[] src, int pos, int end, long bit, int n) {
        int i = pos + (int) (bit >>> 3);
        long v = 0;
        for (int k = 0; k < 4 && i + k < end; k++) v |= (src[i + k] & 0xFFL) << (8 * k);
        return (int) ((v >>> (bit & 7)) & ((1L << n) - 1));
    }

    /** Builds the decoding table of the counts norm[0..lastSymbol] (RFC 8878 4.1.1). */
    static void build(Table t, short[] norm, int lastSymbol, int log, int[] next) throws ZstdFormatException {
        int size = 1 << log;
        int high = size - 1;
        for (int s = 0; s <= lastSymbol; s++) {
            if (norm[s] == -1) {
                t.symbol[high--] = (byte) s;
                next[s] = 1;
            } else {
                next[s] = norm[s];
            }
        }
        int step = (size >>> 1) + (size >>> 3) + 3;
        int mask = size - 1;
        int position = 0;
        for (int s = 0; s <= lastSymbol; s++) {
            for (int i = 0; i < norm[s]; i++) {
                t.symbol[position] = (byte) s;
                do {
                    position = (position + step) & mask;
                } while (position > high);
            }
        }
        if (position != 0) throw new ZstdFormatException("FSE table description does not fill its table");
        for (int u = 0; u < size; u++) {
            int s = t.symbol[u] & 0xFF;
            int state = next[s]++;
            int nb = log - (31 - Integer.numberOfLeadingZeros(state));
            t.nbBits[u] = (byte) nb;
            t.base[u] = (state << nb) - size;
        }
        t.log = log;
    }
}
