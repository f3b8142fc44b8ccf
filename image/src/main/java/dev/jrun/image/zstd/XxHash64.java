package dev.jrun.image.zstd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Streaming XXH64 (seed 0), for the optional content checksum of a zstd frame: its low 32 bits
 * are stored after the last block. Checking it catches a decoder bug as well as a bad stream.
 */
final class XxHash64 {
    private static final long P1 = 0x9E3779B185EBCA87L, P2 = 0xC2B2AE3D27D4EB4FL, P3 = 0x165667B19E3779F9L,
            P4 = 0x85EBCA77C2B2AE63L, P5 = 0x27D4EB2F165667C5L;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private long v1, v2, v3, v4, total;
    private final byte[] pending = new byte[32];
    private int pendingLen;

    XxHash64() {
        reset();
    }

    void reset() {
        v1 = P1 + P2;
        v2 = P2;
        v3 = 0;
        v4 = -P1;
        total = 0;
        pendingLen = 0;
    }

    private static long round(long acc, long input) {
        return Long.rotateLeft(acc + input * P2, 31) * P1;
    }

    private static long merge(long acc, long v) {
        return (acc ^ round(0, v)) * P1 + P4;
    }

    void update(byte[] b, int off, int len) {
        total += len;
        if (pendingLen > 0) {
            int n = Math.min(32 - pendingLen, len);
            System.arraycopy(b, off, pending, pendingLen, n);
            pendingLen += n;
            off += n;
            len -= n;
            if (pendingLen < 32) return;
            stripe(pending, 0);
            pendingLen = 0;
        }
        int end = off + len;
        while (end - off >= 32) {
            stripe(b, off);
            off += 32;
        }
        System.arraycopy(b, off, pending, 0, end - off);
        pendingLen = end - off;
    }

    private void stripe(byte[] b, int off) {
        v1 = round(v1, (long) LONG.get(b, off));
        v2 = round(v2, (long) LONG.get(b, off + 8));
        v3 = round(v3, (long) LONG.get(b, off + 16));
        v4 = round(v4, (long) LONG.get(b, off + 24));
    }

    long digest() {
        long h;
        if (total >= 32) {
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = P5;
        }
        h += total;
        int i = 0;
        for (; i + 8 <= pendingLen; i += 8) {
            h ^= round(0, (long) LONG.get(pending, i));
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        if (i + 4 <= pendingLen) {
            h ^= ((int) INT.get(pending, i) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            i += 4;
        }
        for (; i < pendingLen; i++) {
            h ^= (pending[i] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }
}
