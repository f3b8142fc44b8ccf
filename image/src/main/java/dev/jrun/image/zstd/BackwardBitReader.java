package dev.jrun.image.zstd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * zstd's entropy-coded streams (Huffman literals, FSE sequences and weights) are written forwards
 * and read backwards: the last byte holds a 1 bit marking where the data starts, and each read
 * takes the next most significant bits. This is the reference decoder's BIT_DStream: a 64-bit
 * container loaded little-endian, a count of bits already consumed from its top, and reloads
 * that step the load position back towards the start. Reads past the start give zero bits and
 * count as overflow, which the Huffman weight decoder uses to find its end.
 */
final class BackwardBitReader {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] src;
    private int start;
    private int ptr;
    private long container;
    private int consumed;

    /** Starts reading the stream in src[start, end). */
    void init(byte[] src, int start, int end) throws ZstdFormatException {
        int size = end - start;
        if (size <= 0) throw new ZstdFormatException("empty entropy-coded stream");
        if (src[end - 1] == 0) throw new ZstdFormatException("entropy-coded stream without its end marker");
        this.src = src;
        this.start = start;
        if (size >= 8) {
            ptr = end - 8;
            container = (long) LONG.get(src, ptr);
        } else {
            // The bytes sit at the bottom of the container; the empty top counts as consumed.
            ptr = start;
            long c = 0;
            for (int i = 0; i < size; i++) c |= (src[start + i] & 0xFFL) << (8 * i);
            container = c;
        }
        consumed = Long.numberOfLeadingZeros(container) + 1; // the zero bits above the marker, and the marker
    }

    /** The next {@code n} bits (0..56 after a reload), without consuming them. */
    long peek(int n) {
        if (consumed >= 64) return 0;
        return (container << consumed) >>> 1 >>> (63 - n);
    }

    void skip(int n) {
        consumed += n;
    }

    long read(int n) {
        long v = peek(n);
        consumed += n;
        return v;
    }

    /** Refills the container so that at least 56 bits can be read, where the stream has them. */
    void reload() {
        if (consumed > 64) return; // overflowed: stays so
        if (ptr >= start + 8) {
            ptr -= consumed >>> 3;
            consumed &= 7;
            container = (long) LONG.get(src, ptr);
        } else if (ptr > start) {
            int n = consumed >>> 3;
            if (ptr - n < start) n = ptr - start;
            ptr -= n;
            consumed -= n * 8;
            container = (long) LONG.get(src, ptr);
        }
    }

    /** Every bit of the stream was read, no more. */
    boolean finished() {
        reload();
        return ptr == start && consumed == 64;
    }

    /** More bits were read than the stream has. */
    boolean overflowed() {
        return consumed > 64;
    }
}
